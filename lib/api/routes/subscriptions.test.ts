import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { apiIdempotencyKeys, paymentMethods, sandboxCharges } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";
import { billingFixtures } from "@/test/support/billing-fixtures";

const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

type Api = Awaited<ReturnType<typeof setupTestApi>>;
type Fixtures = ReturnType<typeof billingFixtures>;

describe("API: subscriptions", () => {
  let database: Database;
  let api: Api;
  let f: Fixtures;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    f = billingFixtures(database, api);
  });
  afterAll(async () => database.close());

  /** A monthly 3,000 JPY contract signed up on Jan 10 12:00 JST on its own clock: paid through Feb 10. */
  async function monthly(options: { plan?: Record<string, unknown>; card?: "succeed" | "decline" | "insufficientFunds" } = {}) {
    const plan = await f.plan(options.plan);
    const { customer, paymentMethod, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), card: options.card });
    const created = await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id });
    return { plan, customer, paymentMethod, clock: clock!, created, sub: created.body };
  }

  it("creates a subscription that charges at once, retrieves it, and links its paid first invoice", async () => {
    const { customer, paymentMethod, clock, created, plan } = await monthly({ plan: { joining_fee: 1000 } });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^sub_/),
      object: "subscription",
      customer: customer.id,
      plan: plan.id,
      payment_method: paymentMethod.id,
      status: "active",
      trial_start: null,
      trial_end: null,
      current_period_start: jst("2027-01-10T12:00:00"),
      current_period_end: jst("2027-02-10T00:00:00"),
      cancel_at_period_end: false,
      pending_plan: null,
      paused_at: null,
      resume_at: null,
      credit_balance: 0,
      cancel_reason: null,
      canceled_at: null,
      ended_at: null,
      next_action: { kind: "renewal", due_at: jst("2027-02-10T00:00:00") },
      test_clock: clock.id,
      latest_invoice: expect.stringMatching(/^in_/),
      created: jst("2027-01-10T12:00:00"),
    });
    expect(await api.getOk(`/subscriptions/${created.body.id}`)).toEqual(created.body);
    const invoice = await api.getOk(`/invoices/${created.body.latest_invoice}`);
    expect(invoice).toMatchObject({ subscription: created.body.id, customer: customer.id, kind: "first", status: "paid", total: 4000, paid_at: jst("2027-01-10T12:00:00") });
    expect(invoice.lines.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([
      ["period", 3000],
      ["joining_fee", 1000],
    ]);
    expect(invoice.attempts.map((a: { status: string }) => a.status)).toEqual(["succeeded"]);
  });

  it("starts a trial without a charge, on the customer's default card or the one named", async () => {
    const plan = await f.plan({ trial_days: 14, trial_reminder_days: 3 });
    const { customer, paymentMethod } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")) });
    const r = await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id, payment_method: paymentMethod.id });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: "trialing",
      payment_method: paymentMethod.id,
      trial_start: jst("2027-01-10T12:00:00"),
      trial_end: jst("2027-01-24T00:00:00"),
      current_period_end: jst("2027-01-24T00:00:00"),
      latest_invoice: null,
      next_action: { kind: "trial_reminder", due_at: jst("2027-01-21T00:00:00") },
    });
    // A trial needs no card at sign-up.
    const bare = await f.bareCustomer();
    const noCard = await api.call("POST", "/subscriptions", { customer: bare.id, plan: plan.id });
    expect(noCard.status).toBe(200);
    expect(noCard.body).toMatchObject({ status: "trialing", payment_method: null });
  });

  it("refuses bad requests with the parameter named, and changes nothing", async () => {
    const plan = await f.plan();
    const { customer } = await f.customer();
    const other = await f.customer();
    const bare = await f.bareCustomer();
    const before = (await api.getOk(`/subscriptions?limit=100`)).data.length;
    const cases: [unknown, number, string | null, string?][] = [
      [{ plan: plan.id }, 400, "customer", "parameter_missing"],
      [{ customer: customer.id }, 400, "plan", "parameter_missing"],
      [{ customer: customer.id, plan: plan.id, colour: "red" }, 400, "colour", "parameter_unknown"],
      [{ customer: 42, plan: plan.id }, 400, "customer"],
      [{ customer: "", plan: plan.id }, 400, "customer"],
      [{ customer: customer.id, plan: plan.id, payment_method: 7 }, 400, "payment_method"],
      [{ customer: "cus_nope", plan: plan.id }, 404, "customer", "resource_missing"],
      [{ customer: customer.id, plan: "plan_nope" }, 404, "plan", "resource_missing"],
      // Another customer's card is not this customer's.
      [{ customer: customer.id, plan: plan.id, payment_method: other.paymentMethod.id }, 404, "payment_method", "resource_missing"],
      // The plan charges at sign-up and the customer has no card.
      [{ customer: bare.id, plan: plan.id }, 400, "payment_method"],
    ];
    for (const [body, status, param, code] of cases) {
      const r = await api.call("POST", "/subscriptions", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.param, JSON.stringify(body)).toBe(param);
      if (code) expect(r.body.error.code).toBe(code);
    }
    expect((await api.call("POST", "/subscriptions", "{")).body.error.code).toBe("body_not_json");
    expect((await api.getOk(`/subscriptions?limit=100`)).data.length).toBe(before);
  });

  it("answers a declined first charge with 402 naming the incomplete subscription and its invoice; a retry with a fixed card activates it", async () => {
    const { created, paymentMethod } = await monthly({ card: "decline" });
    expect(created.status).toBe(402);
    expect(created.body.error).toMatchObject({
      type: "card_error",
      code: "card_declined",
      decline_code: "card_declined",
      param: null,
      subscription: expect.stringMatching(/^sub_/),
      invoice: expect.stringMatching(/^in_/),
    });
    const { subscription: id, invoice: invoiceId } = created.body.error;
    expect(await api.getOk(`/subscriptions/${id}`)).toMatchObject({ status: "incomplete", latest_invoice: invoiceId, current_period_end: null, next_action: null });
    expect(await api.getOk(`/invoices/${invoiceId}`)).toMatchObject({ status: "open", attempts: [{ status: "failed", failure_code: "card_declined" }] });

    const again = await api.call("POST", `/subscriptions/${id}/retry`, {});
    expect(again.status).toBe(402);
    expect(again.body.error).toMatchObject({ type: "card_error", decline_code: "card_declined", subscription: id, invoice: invoiceId });
    expect((await api.getOk(`/invoices/${invoiceId}`)).attempts.map((a: { status: string }) => a.status)).toEqual(["failed", "failed"]);

    await f.setCard(paymentMethod.id, "succeed");
    const fixed = await api.call("POST", `/subscriptions/${id}/retry`);
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ status: "active", latest_invoice: invoiceId, next_action: { kind: "renewal" } });
    expect((await api.getOk(`/invoices/${invoiceId}`)).status).toBe("paid");
    const nothing = await api.call("POST", `/subscriptions/${id}/retry`, {});
    expect(nothing.status).toBe(409);
    expect(nothing.body.error).toMatchObject({ type: "invalid_request_error", code: "nothing_owed" });

    const poor = await monthly({ card: "insufficientFunds" });
    expect(poor.created.status).toBe(402);
    expect(poor.created.body.error.decline_code).toBe("insufficient_funds");
  });

  it("retries an overdue contract now (402 when declined) or plans a retry at a chosen time", async () => {
    const { sub, paymentMethod, clock } = await monthly();
    expect((await api.call("POST", `/subscriptions/${sub.id}/retry`, {})).body.error.code).toBe("nothing_owed");
    await f.setCard(paymentMethod.id, "decline");
    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    const pastDue = await api.getOk(`/subscriptions/${sub.id}`);
    expect(pastDue).toMatchObject({ status: "past_due", next_action: { kind: "retry", due_at: jst("2027-02-17T00:00:00") } });

    for (const at of ["next tuesday", "2027-02-12", 1786000000000, "2027-02-12T10:00:00"]) {
      const bad = await api.call("POST", `/subscriptions/${sub.id}/retry`, { at });
      expect(bad.status, String(at)).toBe(400);
      expect(bad.body.error.param).toBe("at");
    }
    const tooFar = await api.call("POST", `/subscriptions/${sub.id}/retry`, { at: jst("2028-06-01T10:00:00") });
    expect(tooFar.status).toBe(400);
    expect(tooFar.body.error.param).toBe("at");

    const planned = await api.call("POST", `/subscriptions/${sub.id}/retry`, { at: jst("2027-02-12T10:00:00") });
    expect(planned.status).toBe(200);
    expect(planned.body).toMatchObject({ status: "past_due", next_action: { kind: "retry", due_at: jst("2027-02-12T10:00:00") } });

    const declined = await api.call("POST", `/subscriptions/${sub.id}/retry`, { at: null });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ type: "card_error", code: "card_declined", subscription: sub.id, invoice: pastDue.latest_invoice });
    expect((await api.getOk(`/subscriptions/${sub.id}`)).status).toBe("past_due");

    await f.setCard(paymentMethod.id, "succeed");
    const paid = await api.call("POST", `/subscriptions/${sub.id}/retry`, {});
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: "active", next_action: { kind: "renewal" } });
  });

  it("cancels at period end or now and resumes, with 409 for illegal state changes", async () => {
    const { sub, paymentMethod, clock } = await monthly();
    const atEnd = await api.call("POST", `/subscriptions/${sub.id}/cancel`, {});
    expect(atEnd.status).toBe(200);
    expect(atEnd.body).toMatchObject({
      status: "active",
      cancel_at_period_end: true,
      canceled_at: jst("2027-01-10T12:00:00"),
      ended_at: null,
      next_action: { kind: "period_end_cancel", due_at: jst("2027-02-10T00:00:00") },
    });
    const twice = await api.call("POST", `/subscriptions/${sub.id}/cancel`, { at_period_end: true });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("already_canceling");

    const undone = await api.call("POST", `/subscriptions/${sub.id}/resume`);
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ status: "active", cancel_at_period_end: false, canceled_at: null, next_action: { kind: "renewal", due_at: jst("2027-02-10T00:00:00") } });
    const resumeActive = await api.call("POST", `/subscriptions/${sub.id}/resume`, {});
    expect(resumeActive.status).toBe(409);
    expect(resumeActive.body.error).toMatchObject({ type: "invalid_request_error", code: "illegal_state" });

    for (const [body, param] of [
      [{ at_period_end: "yes" }, "at_period_end"],
      [{ now: true }, "now"],
      [{ reason: "x".repeat(1001) }, "reason"],
    ] as const) {
      const r = await api.call("POST", `/subscriptions/${sub.id}/cancel`, body);
      expect(r.status).toBe(400);
      expect(r.body.error.param).toBe(param);
    }
    expect((await api.call("POST", `/subscriptions/${sub.id}/resume`, { force: true })).body.error.param).toBe("force");

    const now = await api.call("POST", `/subscriptions/${sub.id}/cancel`, { at_period_end: false, reason: "引っ越しのため" });
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ status: "canceled", cancel_at_period_end: false, cancel_reason: "引っ越しのため", ended_at: jst("2027-01-10T12:00:00"), next_action: null });
    const again = await api.call("POST", `/subscriptions/${sub.id}/cancel`, { at_period_end: false });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("illegal_state");

    // Resumed at once, with its paid month still ahead: restored with no charge, the renewal on the paid-through date.
    const restored = await api.call("POST", `/subscriptions/${sub.id}/resume`, {});
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: "active", ended_at: null, current_period_end: jst("2027-02-10T00:00:00"), next_action: { kind: "renewal", due_at: jst("2027-02-10T00:00:00") } });
    expect(restored.body.latest_invoice).toBe(sub.latest_invoice);
    expect((await api.call("POST", `/subscriptions/${sub.id}/cancel`, { at_period_end: false })).status).toBe(200);

    // After the paid-through date a resume charges a new first period; a declined card changes nothing.
    await f.advance(clock.id, new Date(jst("2027-02-20T12:00:00")));
    await f.setCard(paymentMethod.id, "decline");
    const declined = await api.call("POST", `/subscriptions/${sub.id}/resume`, {});
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ type: "card_error", decline_code: "card_declined" });
    expect((await api.getOk(`/subscriptions/${sub.id}`)).status).toBe("canceled");
    await f.setCard(paymentMethod.id, "succeed");
    const resumed = await api.call("POST", `/subscriptions/${sub.id}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: "active", canceled_at: null, ended_at: null, next_action: { kind: "renewal" } });
    expect(resumed.body.latest_invoice).not.toBe(sub.latest_invoice);
    expect(await api.getOk(`/invoices/${resumed.body.latest_invoice}`)).toMatchObject({ kind: "resume", status: "paid" });
  });

  it("charges an additional amount: extends the paid-through date, refuses with 402 when declined and 409 outside the card-on-file window", async () => {
    const { sub, paymentMethod, clock } = await monthly();
    await f.advance(clock.id, new Date(jst("2027-01-20T10:00:00")));
    const r = await api.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 3000, description: "1か月延長", extend_paid_through: true, send_mail: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: expect.stringMatching(/^in_/),
      object: "invoice",
      subscription: sub.id,
      kind: "additional",
      status: "paid",
      total: 3000,
      description: "1か月延長",
      lines: [{ kind: "additional", amount: 3000, description: "1か月延長" }],
      attempts: [{ status: "succeeded", failure_code: null, created: jst("2027-01-20T10:00:00") }],
      paid_at: jst("2027-01-20T10:00:00"),
    });
    expect(await api.getOk(`/invoices/${r.body.id}`)).toEqual(r.body);
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ current_period_end: jst("2027-03-10T00:00:00"), latest_invoice: r.body.id, next_action: { kind: "renewal", due_at: jst("2027-03-10T00:00:00") } });
    expect((await api.getOk(`/mails?subscription=${sub.id}&template=charge_succeeded`)).data.map((m: { invoice: string }) => m.invoice)).toContain(r.body.id);

    for (const [body, param] of [
      [{ amount: 0 }, "amount"],
      [{ amount: 10.5 }, "amount"],
      [{ amount: "3000" }, "amount"],
      [{}, "amount"],
      [{ amount: 100, extend_paid_through: "true" }, "extend_paid_through"],
      [{ amount: 100, send_mail: 1 }, "send_mail"],
      [{ amount: 100, description: "x".repeat(501) }, "description"],
      [{ amount: 100, currency: "usd" }, "currency"],
    ] as const) {
      const bad = await api.call("POST", `/subscriptions/${sub.id}/charges`, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.param).toBe(param);
    }

    await f.setCard(paymentMethod.id, "decline");
    const declined = await api.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 500 });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ type: "card_error", code: "card_declined", decline_code: "card_declined", subscription: sub.id, invoice: expect.stringMatching(/^in_/) });
    expect(await api.getOk(`/invoices/${declined.body.error.invoice}`)).toMatchObject({ status: "void", total: 500, attempts: [{ status: "failed", failure_code: "card_declined" }] });
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "active", current_period_end: jst("2027-03-10T00:00:00") });

    // A contract that was never paid (a trial) has no card-on-file history to charge on.
    const trialPlan = await f.plan({ trial_days: 30 });
    const trialCustomer = await f.customer();
    const trial = (await api.call("POST", "/subscriptions", { customer: trialCustomer.customer.id, plan: trialPlan.id })).body;
    const refused = await api.call("POST", `/subscriptions/${trial.id}/charges`, { amount: 500 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ type: "invalid_request_error", code: "card_on_file_window_exceeded" });
    // An ended contract cannot be charged.
    const ended = await monthly();
    await api.call("POST", `/subscriptions/${ended.sub.id}/cancel`, { at_period_end: false });
    expect((await api.call("POST", `/subscriptions/${ended.sub.id}/charges`, { amount: 500 })).body.error.code).toBe("illegal_state");
  });

  it("refuses a charge when the last payment is older than the merchant's card-on-file window", async () => {
    const api2 = await setupTestApi(database);
    const f2 = billingFixtures(database, api2);
    await f2.settings({ cardOnFileWindowDays: 30 });
    const plan = await f2.plan({ interval: "year", amount: 36000 });
    const { customer, clock, paymentMethod } = await f2.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")) });
    const sub = (await api2.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id })).body;
    await f2.advance(clock!.id, new Date(jst("2027-02-05T12:00:00")));
    expect((await api2.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 100 })).status).toBe(200);
    // Last payment Feb 5; 31 days later the card on file is out of the window.
    await f2.advance(clock!.id, new Date(jst("2027-03-08T12:00:00")));
    const refused = await api2.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 100 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ type: "invalid_request_error", code: "card_on_file_window_exceeded" });
    expect(refused.body.error.message).toMatch(/older than 30 days/);
    expect((await api2.call("GET", `/invoices?subscription=${sub.id}`)).body.data).toHaveLength(2);
    const [pm] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethod.id));
    expect(await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, pm!.gatewayRef))).toHaveLength(2);
  });

  it("replays an additional charge under one Idempotency-Key: one invoice, one sandbox charge, even when the request is re-run", async () => {
    const { sub, paymentMethod } = await monthly();
    const [pm] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethod.id));
    const chargesOf = async (amount: number) => (await database.db.select().from(sandboxCharges).where(and(eq(sandboxCharges.cardRef, pm!.gatewayRef), eq(sandboxCharges.amount, amount)))).length;
    const key = `charge-${crypto.randomUUID()}`;
    const first = await api.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 1234, description: "教材費" }, { "idempotency-key": key });
    const second = await api.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 1234, description: "教材費" }, { "idempotency-key": key });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const additional = async () => (await api.getOk(`/invoices?subscription=${sub.id}&limit=100`)).data.filter((i: { kind: string }) => i.kind === "additional");
    expect(await additional()).toHaveLength(1);
    expect(await chargesOf(1234)).toBe(1);

    const conflict = await api.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 999 }, { "idempotency-key": key });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.type).toBe("idempotency_error");

    // The first request died without its answer kept (its record is gone once its lock lapses): the re-run
    // with the same key finds the invoice the first run issued and charges nothing more.
    await database.db.delete(apiIdempotencyKeys).where(and(eq(apiIdempotencyKeys.merchantId, api.merchantId), eq(apiIdempotencyKeys.key, key)));
    const rerun = await api.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 1234, description: "教材費" }, { "idempotency-key": key });
    expect(rerun.status).toBe(200);
    expect(rerun.body.id).toBe(first.body.id);
    expect(await additional()).toHaveLength(1);
    expect(await chargesOf(1234)).toBe(1);

    // Concurrent requests with one key: one runs, the others get its answer.
    const concurrentKey = { "idempotency-key": `charge-${crypto.randomUUID()}` };
    const results = await Promise.all(Array.from({ length: 6 }, () => api.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 4321 }, concurrentKey)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await chargesOf(4321)).toBe(1);

    // Without a key every call is a charge of its own.
    await api.call("POST", `/subscriptions/${sub.id}/charges`, { amount: 1234 });
    expect(await additional()).toHaveLength(3);
    expect(await chargesOf(1234)).toBe(2);
  });

  it("records usage that the next renewal bills", async () => {
    const { sub, clock } = await monthly({ plan: { usage_rates: [{ metric: "api_calls", unit_amount: 10 }] } });
    const now = await api.call("POST", `/subscriptions/${sub.id}/usage_records`, { metric: "api_calls", quantity: 5 });
    expect(now.status).toBe(200);
    expect(now.body).toEqual({ id: expect.stringMatching(/^ur_/), object: "usage_record", subscription: sub.id, metric: "api_calls", quantity: 5, timestamp: jst("2027-01-10T12:00:00"), invoice: null });
    const earlier = await api.call("POST", `/subscriptions/${sub.id}/usage_records`, { metric: "api_calls", quantity: 7, timestamp: "2027-01-10T11:00:00+09:00" });
    expect(earlier.body.timestamp).toBe(jst("2027-01-10T11:00:00"));
    const key = { "idempotency-key": `usage-${crypto.randomUUID()}` };
    const once = await api.call("POST", `/subscriptions/${sub.id}/usage_records`, { metric: "api_calls", quantity: 100 }, key);
    expect((await api.call("POST", `/subscriptions/${sub.id}/usage_records`, { metric: "api_calls", quantity: 100 }, key)).body).toEqual(once.body);

    for (const [body, param] of [
      [{ metric: "sms", quantity: 1 }, "metric"],
      [{ metric: "api_calls", quantity: 0 }, "quantity"],
      [{ metric: "api_calls", quantity: 1.5 }, "quantity"],
      [{ metric: "api_calls" }, "quantity"],
      [{ quantity: 1 }, "metric"],
      [{ metric: "api_calls", quantity: 1, timestamp: "yesterday" }, "timestamp"],
      [{ metric: "api_calls", quantity: 1, timestamp: jst("2027-01-12T00:00:00") }, "timestamp"],
      [{ metric: "api_calls", quantity: 1, unit: "call" }, "unit"],
    ] as const) {
      const bad = await api.call("POST", `/subscriptions/${sub.id}/usage_records`, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.param).toBe(param);
    }

    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    const renewal = await api.getOk(`/invoices/${(await api.getOk(`/subscriptions/${sub.id}`)).latest_invoice}`);
    expect(renewal).toMatchObject({ kind: "renewal", status: "paid", total: 3000 + 10 * 112 });
    expect(renewal.lines.map((l: { kind: string; amount: number; quantity: number }) => [l.kind, l.amount, l.quantity])).toEqual([
      ["period", 3000, 1],
      ["usage", 1120, 112],
    ]);

    await api.call("POST", `/subscriptions/${sub.id}/cancel`, { at_period_end: false });
    const ended = await api.call("POST", `/subscriptions/${sub.id}/usage_records`, { metric: "api_calls", quantity: 1 });
    expect(ended.status).toBe(409);
    expect(ended.body.error.code).toBe("illegal_state");
  });

  it("shows the timeline: what happened and what is scheduled, oldest first", async () => {
    const plan = await f.plan({ trial_days: 14, trial_reminder_days: 3, joining_fee: 5000 });
    const { customer, paymentMethod, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")) });
    const sub = (await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id })).body;
    const timeline = async () => {
      const r = await api.getOk(`/subscriptions/${sub.id}/timeline`);
      expect(r).toMatchObject({ object: "list", has_more: false });
      const ats = r.data.map((e: { at: string }) => e.at);
      expect(ats).toEqual([...ats].sort());
      return r.data as { kind: string; status: string; at: string; detail: string }[];
    };
    expect(await timeline()).toEqual([
      { kind: "created", status: "done", at: jst("2027-01-10T12:00:00"), detail: "契約を開始" },
      { kind: "trial_reminder", status: "scheduled", at: jst("2027-01-21T00:00:00"), detail: "お試し終了のお知らせ" },
      { kind: "trial_end", status: "scheduled", at: jst("2027-01-24T00:00:00"), detail: "お試し終了・初回課金" },
    ]);

    await f.advance(clock!.id, new Date(jst("2027-01-24T09:00:00")));
    await f.setCard(paymentMethod.id, "decline");
    await f.advance(clock!.id, new Date(jst("2027-02-24T12:00:00")));
    const lived = await timeline();
    expect(lived.map((e) => [e.kind, e.status, e.at])).toEqual([
      ["created", "done", jst("2027-01-10T12:00:00")],
      // A test clock runs each action at its due time.
      ["trial_reminder", "done", jst("2027-01-21T00:00:00")],
      ["trial_end", "done", jst("2027-01-24T00:00:00")],
      ["payment", "done", jst("2027-01-24T00:00:00")],
      ["renewal", "done", jst("2027-02-24T00:00:00")],
      ["payment", "done", jst("2027-02-24T00:00:00")],
      ["retry", "scheduled", jst("2027-03-03T00:00:00")],
      ["retry", "scheduled", jst("2027-03-10T00:00:00")],
    ]);
    expect(lived[3]!.detail).toBe("初回課金 ¥8,000：成功");
    expect(lived[4]!.detail).toBe("継続課金：決済失敗");
    expect(lived[5]!.detail).toBe("継続課金 ¥3,000：失敗（card_declined）");
    expect(lived[6]!.detail).toBe("再決済（1回目）");

    await api.call("POST", `/subscriptions/${sub.id}/retry`, { at: jst("2027-02-26T10:00:00") });
    await api.call("POST", `/subscriptions/${sub.id}/cancel`, { at_period_end: false });
    const ended = await timeline();
    expect(ended.slice(6).map((e) => [e.kind, e.status, e.at, e.detail])).toEqual([
      ["retry_scheduled", "done", jst("2027-02-24T12:00:00"), "手動再決済を予約（2027/02/26 10:00）"],
      ["canceled", "done", jst("2027-02-24T12:00:00"), "解約（即時）"],
      ["retry", "canceled", jst("2027-02-26T10:00:00"), "手動再決済（取りやめ：解約）"],
      ["retry", "canceled", jst("2027-03-03T00:00:00"), "再決済（1回目）（取りやめ：解約）"],
      ["retry", "canceled", jst("2027-03-10T00:00:00"), "再決済（2回目）（取りやめ：解約）"],
    ]);
    expect((await api.call("GET", "/subscriptions/sub_nope/timeline")).status).toBe(404);
  });

  it("lists subscriptions newest first with filters and a cursor", async () => {
    const [planA, planB] = [await f.plan(), await f.plan({ amount: 5000 })];
    const { customer } = await f.customer();
    const ids: string[] = [];
    for (const plan of [planA, planB, planA]) ids.push((await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id })).body.id);
    await api.call("POST", `/subscriptions/${ids[0]}/cancel`, { at_period_end: false });

    const all = await api.getOk(`/subscriptions?customer=${customer.id}`);
    expect(all.data.map((s: { id: string }) => s.id)).toEqual([...ids].reverse());
    expect(all.has_more).toBe(false);
    const page1 = await api.getOk(`/subscriptions?customer=${customer.id}&limit=2`);
    expect(page1.data.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    expect(page1.has_more).toBe(true);
    const page2 = await api.getOk(`/subscriptions?customer=${customer.id}&limit=2&starting_after=${ids[1]}`);
    expect(page2.data.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    expect(page2.has_more).toBe(false);
    expect((await api.getOk(`/subscriptions?customer=${customer.id}&plan=${planA.id}`)).data.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[0]]);
    expect((await api.getOk(`/subscriptions?customer=${customer.id}&status=canceled`)).data.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    expect((await api.getOk(`/subscriptions?plan=${planB.id}&status=active`)).data.map((s: { id: string }) => s.id)).toEqual([ids[1]]);
    expect((await api.getOk(`/subscriptions?status=paused&customer=${customer.id}`)).data).toEqual([]);
    expect(all.data[0]).toEqual(await api.getOk(`/subscriptions/${ids[2]}`));

    for (const [query, param] of [
      ["status=bogus", "status"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=ten", "limit"],
      ["colour=red", "colour"],
    ]) {
      const r = await api.call("GET", `/subscriptions?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error.param).toBe(param);
    }
  });

  it("treats another merchant's subscriptions and customers as absent, and changes nothing of them", async () => {
    const { sub, customer } = await monthly();
    const other = await setupTestApi(database);
    const paths: [string, string, unknown?][] = [
      ["GET", `/subscriptions/${sub.id}`],
      ["GET", `/subscriptions/${sub.id}/timeline`],
      ["POST", `/subscriptions/${sub.id}/cancel`, { at_period_end: false }],
      ["POST", `/subscriptions/${sub.id}/resume`, {}],
      ["POST", `/subscriptions/${sub.id}/retry`, {}],
      ["POST", `/subscriptions/${sub.id}/charges`, { amount: 100 }],
      ["POST", `/subscriptions/${sub.id}/usage_records`, { metric: "x", quantity: 1 }],
      ["GET", `/invoices/${sub.latest_invoice}`],
    ];
    for (const [method, path, body] of paths) {
      const r = await other.call(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe("resource_missing");
    }
    const signup = await other.call("POST", "/subscriptions", { customer: customer.id, plan: sub.plan });
    expect(signup.status).toBe(404);
    expect(signup.body.error.param).toBe("customer");
    expect((await other.call("GET", `/subscriptions?customer=${customer.id}`)).body.data).toEqual([]);
    expect((await other.call("GET", "/subscriptions?limit=100")).body.data).toEqual([]);
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toEqual(sub);
    expect((await api.call("GET", `/subscriptions/${sub.id}`, undefined, {}, null)).status).toBe(401);
  });

  it("documents the endpoints in the OpenAPI document", async () => {
    const doc = (await api.call("GET", "/openapi.json", undefined, {}, null)).body;
    for (const name of ["Subscription", "TimelineEntry", "UsageRecord", "Invoice", "Mail"]) expect(doc.components.schemas[name], name).toBeDefined();
    expect(doc.paths["/subscriptions/{id}/retry"].post.requestBody.content["application/json"].schema.properties.at.anyOf).toContainEqual(expect.objectContaining({ type: "string", format: "date-time" }));
    expect(Object.keys(doc.paths["/subscriptions/{id}/charges"].post.requestBody.content["application/json"].schema.properties)).toEqual(["amount", "description", "extend_paid_through", "send_mail"]);
    expect(doc.paths["/subscriptions"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["limit", "starting_after", "status", "customer", "plan"]);
  });
});
