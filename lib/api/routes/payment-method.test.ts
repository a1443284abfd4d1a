import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { paymentMethods, sandboxCharges } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";
import { billingFixtures } from "@/test/support/billing-fixtures";

const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

type Api = Awaited<ReturnType<typeof setupTestApi>>;
type Fixtures = ReturnType<typeof billingFixtures>;
type Entry = { kind: string; status: string; at: string; detail: string };

const CARDS = {
  jcb: "3530111333300000",
  declining: "4000000000000341",
  expired: "4000000000000069",
  lost: "4000000000009987",
} as const;

describe("API: a subscription's payment method", () => {
  let database: Database;
  let api: Api;
  let f: Fixtures;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    f = billingFixtures(database, api);
  });
  afterAll(async () => database.close());

  /** A flower subscription (花の定期便), 3,000 JPY a month, signed up on Jan 10 12:00 JST on its own clock: paid through Feb 10. */
  async function monthly() {
    const plan = await f.plan({ name: "花の定期便", amount: 3000 });
    const { customer, paymentMethod, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), name: "高橋 美咲" });
    const created = await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id });
    if (created.status !== 200) throw new Error(`sign-up: ${JSON.stringify(created.body)}`);
    return { plan, customer, paymentMethod, clock: clock!, sub: created.body };
  }

  /** A second card for the customer, saved through the API's card form (not made the default). */
  async function newCard(customerId: string, number: string = CARDS.jcb) {
    const token = await api.call("POST", "/sandbox/tokens", { number, exp_month: 12, exp_year: 2035, cvc: "123" });
    if (token.status !== 200) throw new Error(`token: ${JSON.stringify(token.body)}`);
    const pm = await api.call("POST", `/customers/${customerId}/payment_methods`, { token: token.body.id, make_default: false });
    if (pm.status !== 200) throw new Error(`card: ${JSON.stringify(pm.body)}`);
    return pm.body as { id: string; last4: string };
  }

  /** A contract whose Feb 10 renewal was declined (soft): past_due, retries on Feb 17 and Feb 24; the clock then at `at`. */
  async function pastDue(at = "2027-02-12T10:00:00") {
    const m = await monthly();
    await f.setCard(m.paymentMethod.id, "decline");
    await f.advance(m.clock.id, new Date(jst("2027-02-10T12:00:00")));
    const sub = await api.getOk(`/subscriptions/${m.sub.id}`);
    expect(sub).toMatchObject({ status: "past_due", next_action: { kind: "retry", due_at: jst("2027-02-17T00:00:00") } });
    await f.advance(m.clock.id, new Date(jst(at)));
    return { ...m, sub, overdue: sub.latest_invoice as string };
  }

  const chargesOf = async (paymentMethodId: string) => {
    const [pm] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethodId));
    return (await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, pm!.gatewayRef))).map((c) => [c.amount, c.outcome]);
  };
  const timeline = async (subId: string) => (await api.getOk(`/subscriptions/${subId}/timeline`)).data as Entry[];
  const scheduled = async (subId: string) => (await timeline(subId)).filter((e) => e.status === "scheduled").map((e) => [e.kind, e.at]);
  const attemptsOf = async (invoiceId: string) =>
    ((await api.getOk(`/invoices/${invoiceId}`)).attempts as { status: string; amount: number; failure_code: string | null; created: string }[]).map((a) => [a.status, a.amount, a.failure_code, a.created]);
  const snapshot = async (subId: string) => ({
    sub: await api.getOk(`/subscriptions/${subId}`),
    timeline: await timeline(subId),
    invoices: (await api.getOk(`/invoices?subscription=${subId}&limit=100`)).data,
  });

  it("sets another card on an active contract without charging it; the next renewal is charged to it", async () => {
    const { sub, customer, paymentMethod, clock } = await monthly();
    const jcb = await newCard(customer.id);
    const r = await api.call("POST", `/subscriptions/${sub.id}/payment_method`, { payment_method: jcb.id });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ...sub, payment_method: jcb.id });
    expect(await chargesOf(jcb.id)).toEqual([]);
    // The customer's default card is not changed by it.
    expect((await api.getOk(`/customers/${customer.id}`)).default_payment_method).toBe(paymentMethod.id);

    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "active", payment_method: jcb.id, current_period_end: jst("2027-03-10T00:00:00") });
    expect(await chargesOf(jcb.id)).toEqual([[3000, "succeeded"]]);
    expect(await chargesOf(paymentMethod.id)).toEqual([[3000, "succeeded"]]);
  });

  it("past due: the new card pays the overdue invoice at once in one attempt; the contract is active for a full month from today and its retries are called off", async () => {
    const { sub, customer, overdue, paymentMethod } = await pastDue();
    const jcb = await newCard(customer.id);
    const r = await api.call("POST", `/subscriptions/${sub.id}/payment_method`, { payment_method: jcb.id });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: "active",
      payment_method: jcb.id,
      latest_invoice: overdue,
      current_period_start: jst("2027-02-12T10:00:00"),
      current_period_end: jst("2027-03-12T00:00:00"),
      next_action: { kind: "renewal", due_at: jst("2027-03-12T00:00:00") },
    });
    expect(await api.getOk(`/invoices/${overdue}`)).toMatchObject({ kind: "renewal", status: "paid", total: 3000, paid_at: jst("2027-02-12T10:00:00") });
    expect(await attemptsOf(overdue)).toEqual([
      ["failed", 3000, "card_declined", jst("2027-02-10T00:00:00")],
      ["succeeded", 3000, null, jst("2027-02-12T10:00:00")],
    ]);
    expect(await chargesOf(jcb.id)).toEqual([[3000, "succeeded"]]);
    expect(await chargesOf(paymentMethod.id)).toEqual([
      [3000, "succeeded"],
      [3000, "failed"],
    ]);
    expect(await scheduled(sub.id)).toEqual([["renewal", jst("2027-03-12T00:00:00")]]);
    expect((await timeline(sub.id)).filter((e) => e.kind === "retry").map((e) => [e.status, e.at])).toEqual([
      ["canceled", jst("2027-02-17T00:00:00")],
      ["canceled", jst("2027-02-24T00:00:00")],
    ]);

    // Pressed again: nothing is owed any more, nothing is charged.
    const again = await api.call("POST", `/subscriptions/${sub.id}/payment_method`, { payment_method: jcb.id });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(r.body);
    expect(await attemptsOf(overdue)).toHaveLength(2);
    expect(await chargesOf(jcb.id)).toHaveLength(1);
  });

  it("incomplete: a new card pays the checkout's first invoice and starts its first period", async () => {
    const plan = await f.plan({ name: "花の定期便", amount: 3000, joining_fee: 1000 });
    const { customer, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), card: "decline" });
    const created = await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id });
    expect(created.status).toBe(402);
    const { subscription: id, invoice } = created.body.error;
    await f.advance(clock!.id, new Date(jst("2027-01-11T09:00:00")));
    const jcb = await newCard(customer.id);
    const r = await api.call("POST", `/subscriptions/${id}/payment_method`, { payment_method: jcb.id });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: "active",
      payment_method: jcb.id,
      latest_invoice: invoice,
      current_period_start: jst("2027-01-10T12:00:00"),
      current_period_end: jst("2027-02-10T00:00:00"),
      next_action: { kind: "renewal", due_at: jst("2027-02-10T00:00:00") },
    });
    expect(await api.getOk(`/invoices/${invoice}`)).toMatchObject({ kind: "first", status: "paid", total: 4000, paid_at: jst("2027-01-11T09:00:00") });
    expect((await attemptsOf(invoice)).map((a) => a[0])).toEqual(["failed", "succeeded"]);
    expect(await chargesOf(jcb.id)).toEqual([[4000, "succeeded"]]);
  });

  it("unpaid after a hard decline (lost card, no retries): the new card pays and ends the dunning", async () => {
    const { sub, customer, clock, paymentMethod } = await monthly();
    const lost = await api.call("POST", `/test_helpers/payment_methods/${paymentMethod.id}/behavior`, { behavior: "lost_card" });
    expect(lost.status).toBe(200);
    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    const unpaid = await api.getOk(`/subscriptions/${sub.id}`);
    expect(unpaid).toMatchObject({ status: "unpaid", next_action: { kind: "dunning_notice", due_at: jst("2027-02-11T00:00:00") } });
    expect((await timeline(sub.id)).filter((e) => e.kind === "retry")).toEqual([]);
    expect(await attemptsOf(unpaid.latest_invoice)).toEqual([["failed", 3000, "lost_card", jst("2027-02-10T00:00:00")]]);

    await f.advance(clock.id, new Date(jst("2027-02-15T08:00:00")));
    const jcb = await newCard(customer.id);
    const r = await api.call("POST", `/subscriptions/${sub.id}/payment_method`, { payment_method: jcb.id });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "active", payment_method: jcb.id, current_period_start: jst("2027-02-15T08:00:00"), current_period_end: jst("2027-03-15T00:00:00") });
    expect(await scheduled(sub.id)).toEqual([["renewal", jst("2027-03-15T00:00:00")]]);
    expect(await api.getOk(`/invoices/${unpaid.latest_invoice}`)).toMatchObject({ status: "paid", paid_at: jst("2027-02-15T08:00:00") });
  });

  it("answers 402 when the new card is declined too: the card stays set; soft keeps the retries, hard skips them and makes it unpaid", async () => {
    const soft = await pastDue();
    const declining = await newCard(soft.customer.id, CARDS.declining);
    const r = await api.call("POST", `/subscriptions/${soft.sub.id}/payment_method`, { payment_method: declining.id });
    expect(r.status).toBe(402);
    expect(r.body.error).toMatchObject({
      type: "card_error",
      code: "card_declined",
      decline_code: "card_declined",
      decline_kind: "soft",
      subscription: soft.sub.id,
      invoice: soft.overdue,
    });
    expect(await api.getOk(`/subscriptions/${soft.sub.id}`)).toMatchObject({
      status: "past_due",
      payment_method: declining.id,
      next_action: { kind: "retry", due_at: jst("2027-02-17T00:00:00") },
    });
    expect(await attemptsOf(soft.overdue)).toEqual([
      ["failed", 3000, "card_declined", jst("2027-02-10T00:00:00")],
      ["failed", 3000, "card_declined", jst("2027-02-12T10:00:00")],
    ]);
    expect(await chargesOf(declining.id)).toEqual([[3000, "failed"]]);
    // The planned retry now uses the new card.
    await f.advance(soft.clock.id, new Date(jst("2027-02-17T12:00:00")));
    expect(await chargesOf(declining.id)).toEqual([
      [3000, "failed"],
      [3000, "failed"],
    ]);

    const hard = await pastDue();
    const expired = await newCard(hard.customer.id, CARDS.expired);
    const e = await api.call("POST", `/subscriptions/${hard.sub.id}/payment_method`, { payment_method: expired.id });
    expect(e.status).toBe(402);
    expect(e.body.error).toMatchObject({ type: "card_error", code: "card_declined", decline_code: "expired_card", decline_kind: "hard", subscription: hard.sub.id, invoice: hard.overdue });
    const unpaid = await api.getOk(`/subscriptions/${hard.sub.id}`);
    expect(unpaid).toMatchObject({ status: "unpaid", payment_method: expired.id });
    expect((await timeline(hard.sub.id)).filter((e) => e.kind === "retry").map((e) => e.status)).toEqual(["canceled", "canceled"]);
    expect((await scheduled(hard.sub.id))[0]).toEqual(["dunning_notice", jst("2027-02-12T10:00:00")]);

    // A lost card at once (4000 0000 0000 9987) on an incomplete contract: hard, the contract stays incomplete.
    const plan = await f.plan({ amount: 3000 });
    const checkout = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), card: "decline" });
    const created = await api.call("POST", "/subscriptions", { customer: checkout.customer.id, plan: plan.id });
    const lostCard = await newCard(checkout.customer.id, CARDS.lost);
    const l = await api.call("POST", `/subscriptions/${created.body.error.subscription}/payment_method`, { payment_method: lostCard.id });
    expect(l.status).toBe(402);
    expect(l.body.error).toMatchObject({ decline_code: "lost_card", decline_kind: "hard", subscription: created.body.error.subscription, invoice: created.body.error.invoice });
    expect(await api.getOk(`/subscriptions/${created.body.error.subscription}`)).toMatchObject({ status: "incomplete", payment_method: lostCard.id });
  });

  it("refuses bad bodies, cards that are not the customer's, and ended contracts, writing nothing", async () => {
    const { sub, paymentMethod, customer } = await pastDue();
    const someoneElse = await f.customer();
    const other = await setupTestApi(database);
    const theirs = await billingFixtures(database, other).customer();
    const before = await snapshot(sub.id);
    const cases: [unknown, number, string | null, string][] = [
      [{}, 400, "payment_method", "parameter_missing"],
      [{ payment_method: 5 }, 400, "payment_method", "parameter_invalid"],
      [{ payment_method: "" }, 400, "payment_method", "parameter_invalid"],
      [{ payment_method: null }, 400, "payment_method", "parameter_invalid"],
      [{ payment_method: paymentMethod.id, retry: true }, 400, "retry", "parameter_unknown"],
      [{ payment_method: "pm_nope" }, 404, "payment_method", "resource_missing"],
      // Another customer's card, of this merchant or another.
      [{ payment_method: someoneElse.paymentMethod.id }, 404, "payment_method", "resource_missing"],
      [{ payment_method: theirs.paymentMethod.id }, 404, "payment_method", "resource_missing"],
    ];
    for (const [body, status, param, code] of cases) {
      const r = await api.call("POST", `/subscriptions/${sub.id}/payment_method`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error, JSON.stringify(body)).toMatchObject({ type: "invalid_request_error", param, code });
    }
    expect((await api.call("POST", `/subscriptions/${sub.id}/payment_method`, "nope")).body.error.code).toBe("body_not_json");
    // Another merchant cannot see the contract, with any card.
    for (const pm of [paymentMethod.id, theirs.paymentMethod.id]) {
      const r = await other.call("POST", `/subscriptions/${sub.id}/payment_method`, { payment_method: pm });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("resource_missing");
    }
    expect(await snapshot(sub.id)).toEqual(before);
    expect(await chargesOf(someoneElse.paymentMethod.id)).toEqual([]);

    // A canceled contract owes nothing and is charged no more: 409, the card not set.
    const ended = await monthly();
    await api.call("POST", `/subscriptions/${ended.sub.id}/cancel`, { at_period_end: false });
    const endedBefore = await snapshot(ended.sub.id);
    const jcb = await newCard(ended.customer.id);
    const refused = await api.call("POST", `/subscriptions/${ended.sub.id}/payment_method`, { payment_method: jcb.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ type: "invalid_request_error", code: "illegal_state" });
    expect(await snapshot(ended.sub.id)).toEqual(endedBefore);
    expect(customer.id).not.toBe(ended.customer.id);
  });

  it("replays under one Idempotency-Key: one attempt, one charge", async () => {
    const { sub, customer, overdue, paymentMethod } = await pastDue();
    const jcb = await newCard(customer.id);
    const key = { "idempotency-key": `card-${crypto.randomUUID()}` };
    const first = await api.call("POST", `/subscriptions/${sub.id}/payment_method`, { payment_method: jcb.id }, key);
    const second = await api.call("POST", `/subscriptions/${sub.id}/payment_method`, { payment_method: jcb.id }, key);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await attemptsOf(overdue)).toHaveLength(2);
    expect(await chargesOf(jcb.id)).toEqual([[3000, "succeeded"]]);
    const conflict = await api.call("POST", `/subscriptions/${sub.id}/payment_method`, { payment_method: paymentMethod.id }, key);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ type: "idempotency_error", code: "idempotency_key_reused" });
  });

  it("sets the card of a paused contract without charging", async () => {
    const { sub, customer, clock } = await monthly();
    await api.call("POST", `/subscriptions/${sub.id}/pause`, {});
    await f.advance(clock.id, new Date(jst("2027-02-20T12:00:00")));
    const jcb = await newCard(customer.id);
    const r = await api.call("POST", `/subscriptions/${sub.id}/payment_method`, { payment_method: jcb.id });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "paused", payment_method: jcb.id, latest_invoice: sub.latest_invoice });
    expect(await chargesOf(jcb.id)).toEqual([]);
  });

  it("documents the endpoint in the OpenAPI document", async () => {
    const doc = (await api.call("GET", "/openapi.json", undefined, {}, null)).body;
    const op = doc.paths["/subscriptions/{id}/payment_method"].post;
    expect(op.tags).toEqual(["Subscriptions"]);
    const body = op.requestBody.content["application/json"].schema;
    expect(body).toMatchObject({ type: "object", properties: { payment_method: { type: "string", minLength: 1 } }, required: ["payment_method"], additionalProperties: false });
    expect(op.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/Subscription");
    expect(op.responses).toHaveProperty("402");
    const behavior = doc.paths["/test_helpers/payment_methods/{id}/behavior"].post.requestBody.content["application/json"].schema;
    expect(behavior.properties.behavior.enum).toEqual(expect.arrayContaining(["expired_card", "lost_card"]));
  });
});
