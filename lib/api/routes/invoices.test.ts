import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { createSubscription } from "@/lib/services/create-subscription";
import { ServiceError } from "@/lib/services/errors";
import { setupTestApi } from "@/test/support/api";
import { billingFixtures } from "@/test/support/billing-fixtures";
import { withGateway } from "@/test/support/platform";

const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

type Invoice = { id: string; kind: string; status: string; subscription: string; customer: string };

describe("API: invoices", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  let f: ReturnType<typeof billingFixtures>;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    f = billingFixtures(database, api);
  });
  afterAll(async () => database.close());

  const ids = (list: { data: Invoice[] }) => list.data.map((i) => i.id);

  it("retrieves an invoice with tax, lines with their periods, and attempts", async () => {
    const plan = await f.plan({ amount: 1000, tax_behavior: "exclusive", joining_fee: 500 });
    const { customer, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")) });
    const sub = (await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id })).body;
    const invoice = await api.getOk(`/invoices/${sub.latest_invoice}`);
    expect(invoice).toEqual({
      id: sub.latest_invoice,
      object: "invoice",
      subscription: sub.id,
      customer: customer.id,
      kind: "first",
      plan: plan.id,
      status: "paid",
      currency: "jpy",
      subtotal: 1500,
      tax: 150,
      total: 1650,
      credit_applied: 0,
      amount_refunded: 0,
      description: null,
      period_start: jst("2027-01-10T12:00:00"),
      period_end: jst("2027-02-10T00:00:00"),
      lines: [
        { kind: "period", amount: 1000, quantity: 1, description: expect.any(String), period_start: jst("2027-01-10T00:00:00"), period_end: jst("2027-02-10T00:00:00") },
        { kind: "joining_fee", amount: 500, quantity: 1, description: "入会金", period_start: null, period_end: null },
      ],
      attempts: [{ id: expect.stringMatching(/^pa_/), status: "succeeded", amount: 1650, failure_code: null, created: jst("2027-01-10T12:00:00") }],
      paid_at: jst("2027-01-10T12:00:00"),
      disputed_at: null,
      created: jst("2027-01-10T12:00:00"),
    });

    // The renewal: one period, no joining fee again.
    await f.advance(clock!.id, new Date(jst("2027-02-10T12:00:00")));
    const renewal = await api.getOk(`/invoices/${(await api.getOk(`/subscriptions/${sub.id}`)).latest_invoice}`);
    expect(renewal).toMatchObject({ kind: "renewal", status: "paid", subtotal: 1000, tax: 100, total: 1100, period_start: jst("2027-02-10T00:00:00"), period_end: jst("2027-03-10T00:00:00") });
    expect(renewal.lines).toEqual([
      { kind: "period", amount: 1000, quantity: 1, description: expect.any(String), period_start: jst("2027-02-10T00:00:00"), period_end: jst("2027-03-10T00:00:00") },
    ]);
  });

  it("shows failed attempts, and an attempt whose gateway answer was never recorded as unknown", async () => {
    const plan = await f.plan();
    const declining = await f.customer({ card: "decline" });
    const created = await api.call("POST", "/subscriptions", { customer: declining.customer.id, plan: plan.id });
    expect(created.status).toBe(402);
    await api.call("POST", `/subscriptions/${created.body.error.subscription}/retry`, {});
    const failed = await api.getOk(`/invoices/${created.body.error.invoice}`);
    expect(failed).toMatchObject({ status: "open", paid_at: null });
    expect(failed.attempts.map((a: { status: string; failure_code: string }) => [a.status, a.failure_code])).toEqual([
      ["failed", "card_declined"],
      ["failed", "card_declined"],
    ]);

    // The gateway does not answer: the attempt stays in flight (pending), shown as "unknown".
    const { customer } = await f.customer();
    const silent = withGateway(f.ctx(), { ...f.gateway, charge: async () => Promise.reject(new Error("timeout")) });
    const error = await createSubscription(silent, { customerId: customer.id, planId: plan.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    const [sub] = (await api.getOk(`/subscriptions?customer=${customer.id}`)).data;
    expect(sub.status).toBe("incomplete");
    const inFlight = await api.getOk(`/invoices/${sub.latest_invoice}`);
    expect(inFlight).toMatchObject({ status: "open", attempts: [{ status: "unknown", failure_code: null }] });
    // The next retry replays the same attempt with its key and settles it.
    const retried = await api.call("POST", `/subscriptions/${sub.id}/retry`, {});
    expect(retried.body.status).toBe("active");
    expect((await api.getOk(`/invoices/${sub.latest_invoice}`)).attempts).toEqual([{ ...inFlight.attempts[0], status: "succeeded" }]);
  });

  it("lists invoices newest first, filtered by subscription, customer and status, with a cursor", async () => {
    const plan = await f.plan();
    const a = await f.customer();
    const b = await f.customer();
    const subA1 = (await api.call("POST", "/subscriptions", { customer: a.customer.id, plan: plan.id })).body;
    const subA2 = (await api.call("POST", "/subscriptions", { customer: a.customer.id, plan: plan.id })).body;
    const subB = (await api.call("POST", "/subscriptions", { customer: b.customer.id, plan: plan.id })).body;
    const extra = (await api.call("POST", `/subscriptions/${subA1.id}/charges`, { amount: 700 })).body;
    await f.setCard(a.paymentMethod.id, "decline");
    const declined = (await api.call("POST", `/subscriptions/${subA2.id}/charges`, { amount: 800 })).body.error.invoice;

    const ofA = await api.getOk(`/invoices?customer=${a.customer.id}`);
    expect(ids(ofA)).toEqual([declined, extra.id, subA2.latest_invoice, subA1.latest_invoice]);
    expect(ofA.has_more).toBe(false);
    expect(ofA.data[1]).toEqual(extra);
    expect(ids(await api.getOk(`/invoices?subscription=${subA1.id}`))).toEqual([extra.id, subA1.latest_invoice]);
    expect(ids(await api.getOk(`/invoices?customer=${b.customer.id}`))).toEqual([subB.latest_invoice]);
    expect(ids(await api.getOk(`/invoices?customer=${a.customer.id}&status=void`))).toEqual([declined]);
    expect(ids(await api.getOk(`/invoices?customer=${a.customer.id}&status=paid&subscription=${subA2.id}`))).toEqual([subA2.latest_invoice]);
    expect(ids(await api.getOk(`/invoices?customer=${a.customer.id}&status=open`))).toEqual([]);

    const page1 = await api.getOk(`/invoices?customer=${a.customer.id}&limit=3`);
    expect(ids(page1)).toEqual([declined, extra.id, subA2.latest_invoice]);
    expect(page1.has_more).toBe(true);
    const page2 = await api.getOk(`/invoices?customer=${a.customer.id}&limit=3&starting_after=${subA2.latest_invoice}`);
    expect(ids(page2)).toEqual([subA1.latest_invoice]);
    expect(page2.has_more).toBe(false);

    for (const [query, param] of [
      ["status=unpaid", "status"],
      ["limit=0", "limit"],
      ["limit=1000", "limit"],
      ["subscription=", "subscription"],
      ["sort=asc", "sort"],
    ]) {
      const r = await api.call("GET", `/invoices?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error).toMatchObject({ type: "invalid_request_error", param });
    }
  });

  it("treats another merchant's invoices as absent", async () => {
    const plan = await f.plan();
    const { customer } = await f.customer();
    const sub = (await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id })).body;
    const other = await setupTestApi(database);
    const theirs = await other.call("GET", `/invoices/${sub.latest_invoice}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error).toMatchObject({ code: "resource_missing", param: "id" });
    expect((await other.call("GET", `/invoices?subscription=${sub.id}`)).body.data).toEqual([]);
    expect((await other.call("GET", `/invoices?customer=${customer.id}`)).body.data).toEqual([]);
    expect((await other.call("GET", "/invoices?limit=100")).body.data).toEqual([]);
    expect((await api.call("GET", "/invoices/in_nope")).status).toBe(404);
    expect((await api.call("POST", "/invoices", {})).status).toBe(405);
  });
});
