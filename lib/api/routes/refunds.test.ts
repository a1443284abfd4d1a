import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { apiIdempotencyKeys, paymentAttempts, refunds, sandboxRefunds } from "@/db/schema";
import { createApiHandler } from "@/lib/api/handle-request";
import { createRateLimiter } from "@/lib/api/rate-limit";
import { API_ROUTES } from "@/lib/api/routes";
import { createSandboxGateway } from "@/lib/gateways/sandbox";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { openTestDatabase } from "@/test/support/database";
import { type ApiResponse, setupTestApi } from "@/test/support/api";
import { billingFixtures } from "@/test/support/billing-fixtures";
import { testPlatform } from "@/test/support/platform";

const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

type Api = Awaited<ReturnType<typeof setupTestApi>>;
type Fixtures = ReturnType<typeof billingFixtures>;

describe("API: refunds", () => {
  let database: Database;
  let api: Api;
  let f: Fixtures;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    f = billingFixtures(database, api);
  });
  afterAll(async () => database.close());

  /** The same merchant's API with its gateways replaced (one whose refunds get no answer, say). */
  function apiThrough(gateway: PaymentGateway) {
    const handler = createApiHandler({
      database: async () => database,
      platform: (d) => testPlatform(d.db, { gateway }),
      rateLimiter: createRateLimiter({ perSecond: 10_000, burst: 10_000 }),
      runInBackground: () => undefined,
      routes: API_ROUTES,
    });
    return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> => {
      const response = await handler(
        new Request(`http://localhost/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${api.secretKey}`, "content-type": "application/json", ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
      return { status: response.status, body: await response.json(), headers: response.headers };
    };
  }

  /** A cooking class (料理教室), 3,000 JPY a month tax included, signed up on Jan 10 12:00 JST: its first invoice is paid; the clock then on Jan 15 10:00. */
  async function paidInvoice() {
    const plan = await f.plan({ name: "料理教室 月謝", amount: 3000 });
    const { customer, paymentMethod, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), name: "伊藤 直子" });
    const sub = (await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id })).body;
    await f.advance(clock!.id, new Date(jst("2027-01-15T10:00:00")));
    const invoice = await api.getOk(`/invoices/${sub.latest_invoice}`);
    expect(invoice).toMatchObject({ status: "paid", total: 3000, amount_refunded: 0 });
    return { plan, customer, paymentMethod, clock: clock!, sub: await api.getOk(`/subscriptions/${sub.id}`), invoice };
  }

  /** The sandbox refunds of an invoice's paid charge. */
  const gatewayRefundsOf = async (invoiceId: string) => {
    const charges = await database.db.select({ id: paymentAttempts.gatewayChargeId }).from(paymentAttempts).where(and(eq(paymentAttempts.invoiceId, invoiceId), eq(paymentAttempts.status, "succeeded")));
    const ids = charges.map((c) => c.id).filter((id): id is string => id !== null);
    if (ids.length === 0) return [];
    return (await database.db.select().from(sandboxRefunds).where(inArray(sandboxRefunds.chargeId, ids))).map((r) => r.amount);
  };
  const refundRows = async (invoiceId: string) => database.db.select().from(refunds).where(eq(refunds.invoiceId, invoiceId));
  const refundMails = async (subId: string) => (await api.getOk(`/mails?subscription=${subId}&template=refund&limit=100`)).data as { invoice: string; created: string }[];

  it("refunds part of a paid invoice, then the rest; the invoice's amount_refunded grows, the subscription is left as it is", async () => {
    const { sub, invoice } = await paidInvoice();
    const part = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 1000, reason: "体験レッスン欠席分の返金" });
    expect(part.status).toBe(200);
    expect(part.body).toEqual({
      id: expect.stringMatching(/^re_/),
      object: "refund",
      invoice: invoice.id,
      subscription: sub.id,
      amount: 1000,
      currency: "jpy",
      reason: "体験レッスン欠席分の返金",
      status: "succeeded",
      failure_code: null,
      created: expect.any(String),
    });
    expect(await api.getOk(`/invoices/${invoice.id}`)).toEqual({ ...invoice, amount_refunded: 1000 });
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toEqual(sub);
    expect((await refundMails(sub.id)).map((m) => [m.invoice, m.created])).toEqual([[invoice.id, jst("2027-01-15T10:00:00")]]);

    // What is left (2,000 JPY) when no amount is given.
    const rest = await api.call("POST", `/invoices/${invoice.id}/refunds`, {});
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ amount: 2000, reason: null, status: "succeeded", invoice: invoice.id });
    expect(rest.body.id).not.toBe(part.body.id);
    expect(await api.getOk(`/invoices/${invoice.id}`)).toMatchObject({ status: "paid", total: 3000, amount_refunded: 3000 });
    expect((await gatewayRefundsOf(invoice.id)).sort()).toEqual([1000, 2000]);
    expect(await refundMails(sub.id)).toHaveLength(2);

    const more = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 1 });
    expect(more.status).toBe(409);
    expect(more.body.error).toMatchObject({ type: "invalid_request_error", code: "fully_refunded" });
    // A refund does not cancel: the contract is still active and renews as planned.
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "active", current_period_end: jst("2027-02-10T00:00:00"), next_action: { kind: "renewal" } });
  });

  it("stamps a test-clock customer's refund with the clock's time, as its invoices, attempts and mails are", async () => {
    const { sub, invoice } = await paidInvoice();
    const r = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 500 });
    expect(r.status).toBe(200);
    expect((await refundMails(sub.id)).map((m) => m.created)).toEqual([jst("2027-01-15T10:00:00")]);
    expect(r.body.created).toBe(jst("2027-01-15T10:00:00"));
  });

  it("never refunds more than is left, naming the amount", async () => {
    const { invoice } = await paidInvoice();
    expect((await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 2500 })).status).toBe(200);
    const tooMuch = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 501 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({ type: "invalid_request_error", code: "amount_too_large", param: "amount" });
    expect(tooMuch.body.error.message).toMatch(/500/);
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(2500);
    expect(await refundRows(invoice.id)).toHaveLength(1);
    const exact = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 500 });
    expect(exact.status).toBe(200);
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(3000);
  });

  it("refuses bad bodies with the parameter named, and writes nothing", async () => {
    const { invoice, sub } = await paidInvoice();
    const cases: [unknown, string, string?][] = [
      [{ amount: 0 }, "amount"],
      [{ amount: -100 }, "amount"],
      [{ amount: 1.5 }, "amount"],
      [{ amount: "1000" }, "amount"],
      [{ amount: 3001 }, "amount", "amount_too_large"],
      [{ reason: "x".repeat(501) }, "reason"],
      [{ reason: 42 }, "reason"],
      [{ amount: 100, currency: "jpy" }, "currency", "parameter_unknown"],
    ];
    for (const [body, param, code] of cases) {
      const r = await api.call("POST", `/invoices/${invoice.id}/refunds`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatchObject({ type: "invalid_request_error", param });
      if (code) expect(r.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect((await api.call("POST", `/invoices/${invoice.id}/refunds`, "{")).body.error.code).toBe("body_not_json");
    expect(await api.getOk(`/invoices/${invoice.id}`)).toEqual(invoice);
    expect(await refundRows(invoice.id)).toEqual([]);
    expect(await gatewayRefundsOf(invoice.id)).toEqual([]);
    expect(await refundMails(sub.id)).toEqual([]);
  });

  it("answers 409 for invoices with nothing to refund, and 404 for another merchant's", async () => {
    // Open: the checkout's charge was declined.
    const plan = await f.plan({ amount: 3000 });
    const declining = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), card: "decline" });
    const checkout = await api.call("POST", "/subscriptions", { customer: declining.customer.id, plan: plan.id });
    expect(checkout.status).toBe(402);
    // Void: a declined additional charge.
    const { sub, paymentMethod, invoice } = await paidInvoice();
    await f.setCard(paymentMethod.id, "decline");
    const extra = await api.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 500, description: "食材費" });
    expect(extra.status).toBe(402);
    expect(await api.getOk(`/invoices/${extra.body.error.invoice}`)).toMatchObject({ status: "void" });
    await f.setCard(paymentMethod.id, "succeed");
    // Paid, but nothing charged: a downgrade's zero invoice (its credit is carried, never paid out).
    const cheaper = await f.plan({ amount: 1000 });
    const downgrade = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: cheaper.id });
    expect(downgrade.status).toBe(200);
    const zero = await api.getOk(`/invoices/${downgrade.body.latest_invoice}`);
    expect(zero).toMatchObject({ kind: "plan_change", status: "paid", total: 0 });

    const cases: [string, string][] = [
      [checkout.body.error.invoice, "invoice_not_paid"],
      [extra.body.error.invoice, "invoice_not_paid"],
      [zero.id, "nothing_charged"],
    ];
    for (const [invoiceId, code] of cases) {
      const before = await api.getOk(`/invoices/${invoiceId}`);
      const r = await api.call("POST", `/invoices/${invoiceId}/refunds`, {});
      expect(r.status, code).toBe(409);
      expect(r.body.error).toMatchObject({ type: "invalid_request_error", code });
      expect(await api.getOk(`/invoices/${invoiceId}`)).toEqual(before);
      expect(await refundRows(invoiceId)).toEqual([]);
    }

    const other = await setupTestApi(database);
    for (const body of [{}, { amount: 100 }]) {
      const r = await other.call("POST", `/invoices/${invoice.id}/refunds`, body);
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ type: "invalid_request_error", code: "resource_missing" });
    }
    expect((await api.call("POST", "/invoices/in_nope/refunds", {})).status).toBe(404);
    expect(await refundRows(invoice.id)).toEqual([]);
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(0);
  });

  it("replays a refund under one Idempotency-Key: one gateway refund, even when the request is re-run or sent at once", async () => {
    const { invoice } = await paidInvoice();
    const key = `refund-${crypto.randomUUID()}`;
    const first = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 1200, reason: "返品" }, { "idempotency-key": key });
    const second = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 1200, reason: "返品" }, { "idempotency-key": key });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await gatewayRefundsOf(invoice.id)).toEqual([1200]);
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(1200);

    const conflict = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 1300 }, { "idempotency-key": key });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ type: "idempotency_error", code: "idempotency_key_reused" });

    // The first request's record is gone (it died before its answer was kept): the re-run finds the same refund.
    await database.db.delete(apiIdempotencyKeys).where(and(eq(apiIdempotencyKeys.merchantId, api.merchantId), eq(apiIdempotencyKeys.key, key)));
    const rerun = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 1200, reason: "返品" }, { "idempotency-key": key });
    expect(rerun.status).toBe(200);
    expect(rerun.body).toEqual(first.body);
    expect(await gatewayRefundsOf(invoice.id)).toEqual([1200]);
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(1200);
    // The same key for another invoice's refund is refused, not turned into a refund of this one.
    const another = await paidInvoice();
    await database.db.delete(apiIdempotencyKeys).where(and(eq(apiIdempotencyKeys.merchantId, api.merchantId), eq(apiIdempotencyKeys.key, key)));
    const elsewhere = await api.call("POST", `/invoices/${another.invoice.id}/refunds`, { amount: 1200, reason: "返品" }, { "idempotency-key": key });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error).toMatchObject({ code: "request_key_reused" });
    expect(await refundRows(another.invoice.id)).toEqual([]);

    // Sent six times at once with one key: one refund.
    const concurrent = { "idempotency-key": `refund-${crypto.randomUUID()}` };
    const results = await Promise.all(Array.from({ length: 6 }, () => api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 300 }, concurrent)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await gatewayRefundsOf(invoice.id)).sort()).toEqual([1200, 300].sort());

    // Without a key every request is a refund of its own.
    await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 100 });
    await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 100 });
    expect(await refundRows(invoice.id)).toHaveLength(4);
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(1700);
  });

  it("a refund whose gateway did not answer stays pending (503) and is confirmed by the same request, never made twice", async () => {
    const { invoice, sub } = await paidInvoice();
    const sandbox = createSandboxGateway(database.db);
    // No answer at all: the gateway never saw the refund.
    const silent = apiThrough({ ...sandbox, refund: async () => Promise.reject(new Error("timeout")) });
    const key = { "idempotency-key": `refund-${crypto.randomUUID()}` };
    const body = { amount: 1000, reason: "講座中止" };
    const lost = await silent("POST", `/invoices/${invoice.id}/refunds`, body, key);
    expect(lost.status).toBe(503);
    expect(lost.body.error).toMatchObject({ type: "api_error", code: "gateway_unavailable" });
    const [pending] = await refundRows(invoice.id);
    expect(pending).toMatchObject({ status: "pending", amount: 1000, gatewayRefundId: null });
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(0);
    expect(await gatewayRefundsOf(invoice.id)).toEqual([]);
    expect(await refundMails(sub.id)).toEqual([]);
    // The pending refund holds its amount: no more than 2,000 JPY is left meanwhile.
    const meanwhile = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 2001 });
    expect(meanwhile.status).toBe(400);
    expect(meanwhile.body.error.code).toBe("amount_too_large");

    const confirmed = await api.call("POST", `/invoices/${invoice.id}/refunds`, body, key);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: pending!.id, amount: 1000, status: "succeeded" });
    expect(await gatewayRefundsOf(invoice.id)).toEqual([1000]);
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(1000);
    expect(await refundMails(sub.id)).toHaveLength(1);

    // The gateway refunded but its answer was lost: the same request confirms that refund, it does not make another.
    const answerLost = apiThrough({
      ...sandbox,
      refund: async (request) => {
        await sandbox.refund(request);
        throw new Error("connection reset");
      },
    });
    const key2 = { "idempotency-key": `refund-${crypto.randomUUID()}` };
    const dropped = await answerLost("POST", `/invoices/${invoice.id}/refunds`, { amount: 700 }, key2);
    expect(dropped.status).toBe(503);
    expect((await gatewayRefundsOf(invoice.id)).sort()).toEqual([1000, 700].sort());
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(1000);
    const again = await api.call("POST", `/invoices/${invoice.id}/refunds`, { amount: 700 }, key2);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ amount: 700, status: "succeeded" });
    expect((await gatewayRefundsOf(invoice.id)).sort()).toEqual([1000, 700].sort());
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(1700);
    expect(await refundMails(sub.id)).toHaveLength(2);
  });

  it("answers 402 refund_failed when the gateway refuses the refund; nothing is refunded and the amount is free again", async () => {
    const { invoice } = await paidInvoice();
    const refusing = apiThrough({
      ...createSandboxGateway(database.db),
      refund: async () => ({ status: "failed", failureCode: "charge_disputed", message: "The charge is disputed." }),
    });
    const r = await refusing("POST", `/invoices/${invoice.id}/refunds`, { amount: 3000 });
    expect(r.status).toBe(402);
    expect(r.body.error).toMatchObject({ type: "card_error", code: "refund_failed", decline_code: "charge_disputed", invoice: invoice.id });
    expect(await refundRows(invoice.id)).toEqual([expect.objectContaining({ status: "failed", failureCode: "charge_disputed", amount: 3000 })]);
    expect((await api.getOk(`/invoices/${invoice.id}`)).amount_refunded).toBe(0);
    const later = await api.call("POST", `/invoices/${invoice.id}/refunds`, {});
    expect(later.status).toBe(200);
    expect(later.body.amount).toBe(3000);
  });

  it("documents the endpoint in the OpenAPI document", async () => {
    const doc = (await api.call("GET", "/openapi.json", undefined, {}, null)).body;
    const op = doc.paths["/invoices/{id}/refunds"].post;
    expect(op.tags).toEqual(["Invoices"]);
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(["path:id", "header:Idempotency-Key"]);
    const body = op.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties)).toEqual(["amount", "reason"]);
    expect(body.required ?? []).toEqual([]);
    expect(body.additionalProperties).toBe(false);
    expect(JSON.stringify(body.properties.amount)).toContain("integer");
    expect(op.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/Refund");
    expect(doc.components.schemas.Refund.properties.status.enum).toEqual(["pending", "succeeded", "failed"]);
    expect(doc.components.schemas.Invoice.properties).toHaveProperty("amount_refunded");
  });
});
