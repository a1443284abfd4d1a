import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { paymentMethods, sandboxCharges } from "@/db/schema";
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
type Line = { kind: string; amount: number; quantity: number; description: string };

describe("API: change plan", () => {
  let database: Database;
  let api: Api;
  let f: Fixtures;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    f = billingFixtures(database, api);
  });
  afterAll(async () => database.close());

  /** The same merchant's API, its charges going through another gateway (one that never answers, say). */
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

  /**
   * An English conversation school (英会話スクール): ベーシック 3,000 JPY and プレミアム 5,000 JPY a month, a yearly
   * plan of 30,000 JPY, tax included. The customer signs up to `from` on Jan 10 12:00 JST (paid through Feb 10)
   * and the clock moves to Jan 20 10:00: 21 of the month's 31 days are unused.
   */
  async function school(from: "basic" | "premium" = "basic", options: { advanceTo?: string } = {}) {
    const basic = await f.plan({ name: "ベーシック", amount: 3000 });
    const premium = await f.plan({ name: "プレミアム", amount: 5000 });
    const yearly = await f.plan({ name: "年払い", amount: 30000, interval: "year" });
    const { customer, paymentMethod, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), name: "田中 花子" });
    const created = await api.call("POST", "/subscriptions", { customer: customer.id, plan: (from === "basic" ? basic : premium).id });
    if (created.status !== 200) throw new Error(`sign-up: ${JSON.stringify(created.body)}`);
    await f.advance(clock!.id, new Date(jst(options.advanceTo ?? "2027-01-20T10:00:00")));
    const sub = await api.getOk(`/subscriptions/${created.body.id}`);
    return { basic, premium, yearly, customer, paymentMethod, clock: clock!, sub };
  }

  const linesOf = (lines: Line[]) => lines.map((l) => [l.kind, l.amount]);
  const invoicesOf = async (subId: string) => (await api.getOk(`/invoices?subscription=${subId}&limit=100`)).data as { id: string; kind: string; status: string; total: number }[];
  const mailsOf = async (subId: string, template: string) => (await api.getOk(`/mails?subscription=${subId}&template=${template}&limit=100`)).data as { created: string }[];
  const chargesOf = async (paymentMethodId: string, amount?: number) => {
    const [pm] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethodId));
    return database.db
      .select()
      .from(sandboxCharges)
      .where(and(eq(sandboxCharges.cardRef, pm!.gatewayRef), amount === undefined ? undefined : eq(sandboxCharges.amount, amount)));
  };
  /** Everything the API shows of a contract: to compare before and after a refused or read-only request. */
  const snapshot = async (subId: string) => ({
    sub: await api.getOk(`/subscriptions/${subId}`),
    timeline: (await api.getOk(`/subscriptions/${subId}/timeline`)).data,
    invoices: await invoicesOf(subId),
    mails: (await api.getOk(`/mails?subscription=${subId}&limit=100`)).data,
  });

  it("upgrades now with daily proration: one invoice credits the unused 21/31 days of ベーシック and charges プレミアム's, the preview saying so first", async () => {
    const { sub, premium, basic, paymentMethod, clock } = await school();
    const before = await snapshot(sub.id);
    const preview = await api.call("POST", `/subscriptions/${sub.id}/change_plan/preview`, { plan: premium.id });
    expect(preview.status).toBe(200);
    // 5,000 × 21/31 = 3,387.09… → 3,387; 3,000 × 21/31 = 2,032.25… → 2,032; tax included: ⌊1,355 × 10/110⌋ = 123.
    expect(preview.body).toEqual({
      object: "plan_change_preview",
      plan: premium.id,
      invoice: {
        currency: "jpy",
        lines: [
          { kind: "proration", description: expect.stringContaining("21/31"), amount: 3387, quantity: 1 },
          { kind: "proration_credit", description: expect.stringContaining("21/31"), amount: -2032, quantity: 1 },
        ],
        subtotal: 1232,
        tax: 123,
        total: 1355,
        credit_applied: 0,
        credit_carried: 0,
      },
      next_renewal: { at: jst("2027-02-10T00:00:00"), total: 5000, currency: "jpy" },
    });
    expect(preview.body.invoice.lines[0].description).toContain("プレミアム");
    expect(preview.body.invoice.lines[1].description).toContain("ベーシック");
    // The preview wrote nothing (the same body again gives the same answer).
    expect(await snapshot(sub.id)).toEqual(before);
    expect((await api.call("POST", `/subscriptions/${sub.id}/change_plan/preview`, { plan: premium.id, when: "now", proration: "daily" })).body).toEqual(preview.body);

    const changed = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id, when: "now", proration: "daily" });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      status: "active",
      plan: premium.id,
      pending_plan: null,
      credit_balance: 0,
      current_period_start: jst("2027-01-10T12:00:00"),
      current_period_end: jst("2027-02-10T00:00:00"),
      next_action: { kind: "renewal", due_at: jst("2027-02-10T00:00:00") },
    });
    const invoice = await api.getOk(`/invoices/${changed.body.latest_invoice}`);
    expect(invoice).toMatchObject({
      kind: "plan_change",
      plan: premium.id,
      status: "paid",
      subtotal: 1232,
      tax: 123,
      total: 1355,
      credit_applied: 0,
      period_start: jst("2027-01-20T10:00:00"),
      period_end: jst("2027-02-10T00:00:00"),
      attempts: [{ status: "succeeded", amount: 1355 }],
      paid_at: jst("2027-01-20T10:00:00"),
    });
    expect(linesOf(invoice.lines)).toEqual([
      ["proration", 3387],
      ["proration_credit", -2032],
    ]);
    expect(invoice.lines[0]).toMatchObject({ period_start: jst("2027-01-20T00:00:00"), period_end: jst("2027-02-10T00:00:00") });
    expect((await mailsOf(sub.id, "plan_changed")).map((m) => m.created)).toEqual([jst("2027-01-20T10:00:00")]);
    expect(await chargesOf(paymentMethod.id, 1355)).toHaveLength(1);

    // The renewal bills プレミアム in full; the prorated days are not billed again.
    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    const renewed = await api.getOk(`/subscriptions/${sub.id}`);
    expect(renewed).toMatchObject({ plan: premium.id, current_period_end: jst("2027-03-10T00:00:00") });
    expect(await api.getOk(`/invoices/${renewed.latest_invoice}`)).toMatchObject({ kind: "renewal", plan: premium.id, total: 5000, period_start: jst("2027-02-10T00:00:00") });
    expect((await invoicesOf(sub.id)).map((i) => [i.kind, i.total])).toEqual([
      ["renewal", 5000],
      ["plan_change", 1355],
      ["first", 3000],
    ]);
    expect(basic.id).not.toBe(premium.id);
  });

  it("downgrades now: a zero invoice, the net credit carried to the next renewal, never paid out", async () => {
    const { sub, basic, paymentMethod, clock } = await school("premium");
    const preview = await api.call("POST", `/subscriptions/${sub.id}/change_plan/preview`, { plan: basic.id });
    expect(preview.status).toBe(200);
    // 3,000 × 21/31 → 2,032 charged, 5,000 × 21/31 → 3,387 credited: 1,355 left to the customer.
    expect(preview.body.invoice).toEqual({
      currency: "jpy",
      lines: [
        { kind: "proration", description: expect.any(String), amount: 2032, quantity: 1 },
        { kind: "proration_credit", description: expect.any(String), amount: -3387, quantity: 1 },
        { kind: "credit_carried", description: expect.any(String), amount: 1355, quantity: 1 },
      ],
      subtotal: 0,
      tax: 0,
      total: 0,
      credit_applied: 0,
      credit_carried: 1355,
    });
    expect(preview.body.next_renewal).toEqual({ at: jst("2027-02-10T00:00:00"), total: 1645, currency: "jpy" });

    const changed = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: basic.id });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ plan: basic.id, status: "active", credit_balance: 1355, current_period_end: jst("2027-02-10T00:00:00") });
    expect(await api.getOk(`/invoices/${changed.body.latest_invoice}`)).toMatchObject({ kind: "plan_change", plan: basic.id, status: "paid", total: 0, credit_applied: 0 });
    // Nothing is charged or paid back now.
    expect(await chargesOf(paymentMethod.id)).toHaveLength(1);

    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    const renewed = await api.getOk(`/subscriptions/${sub.id}`);
    expect(renewed).toMatchObject({ plan: basic.id, credit_balance: 0, current_period_end: jst("2027-03-10T00:00:00") });
    const renewal = await api.getOk(`/invoices/${renewed.latest_invoice}`);
    expect(renewal).toMatchObject({ kind: "renewal", status: "paid", total: 1645, credit_applied: 1355 });
    expect(linesOf(renewal.lines)).toEqual([
      ["period", 3000],
      ["credit_applied", -1355],
    ]);
    expect(await chargesOf(paymentMethod.id, 1645)).toHaveLength(1);
  });

  it("downgrading and going back up the same day costs nothing: the carried credit pays the way back", async () => {
    const { sub, basic, premium, clock, paymentMethod } = await school("premium");
    expect((await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: basic.id })).body).toMatchObject({ plan: basic.id, credit_balance: 1355 });
    await f.advance(clock.id, new Date(jst("2027-01-20T15:00:00")));
    // 3,387 for プレミアム's 21 days less 2,032 for ベーシック's = 1,355, all of it taken from the credit.
    const preview = await api.call("POST", `/subscriptions/${sub.id}/change_plan/preview`, { plan: premium.id });
    expect(preview.body.invoice).toMatchObject({ total: 0, credit_applied: 1355, credit_carried: 0 });
    expect(linesOf(preview.body.invoice.lines)).toEqual([
      ["proration", 3387],
      ["proration_credit", -2032],
      ["credit_applied", -1355],
    ]);
    const back = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ plan: premium.id, credit_balance: 0 });
    expect(await api.getOk(`/invoices/${back.body.latest_invoice}`)).toMatchObject({ kind: "plan_change", status: "paid", total: 0, credit_applied: 1355 });
    expect(await chargesOf(paymentMethod.id)).toHaveLength(1);
    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    expect(await api.getOk(`/invoices/${(await api.getOk(`/subscriptions/${sub.id}`)).latest_invoice}`)).toMatchObject({ kind: "renewal", total: 5000, credit_applied: 0 });
  });

  it("two changes at the same moment of the test clock both take effect (the second is not a silent 200)", async () => {
    const { sub, basic, premium, paymentMethod } = await school("premium");
    expect((await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: basic.id })).body).toMatchObject({ plan: basic.id, credit_balance: 1355 });
    const back = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ plan: premium.id, credit_balance: 0 });
    expect(await chargesOf(paymentMethod.id)).toHaveLength(1);
  });

  it("changes to a yearly plan now: the new plan's year starts today, less the unused days' credit", async () => {
    const { sub, yearly } = await school();
    const body = { plan: yearly.id, when: "now", proration: "daily" };
    const preview = await api.call("POST", `/subscriptions/${sub.id}/change_plan/preview`, body);
    expect(preview.status).toBe(200);
    // 30,000 − 2,032 = 27,968; tax ⌊27,968 × 10/110⌋ = 2,542.
    expect(linesOf(preview.body.invoice.lines)).toEqual([
      ["period", 30000],
      ["proration_credit", -2032],
    ]);
    expect(preview.body.invoice).toMatchObject({ subtotal: 25426, tax: 2542, total: 27968, credit_applied: 0, credit_carried: 0 });
    expect(preview.body.next_renewal).toEqual({ at: jst("2028-01-20T00:00:00"), total: 30000, currency: "jpy" });

    const changed = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, body);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      plan: yearly.id,
      current_period_start: jst("2027-01-20T10:00:00"),
      current_period_end: jst("2028-01-20T00:00:00"),
      next_action: { kind: "renewal", due_at: jst("2028-01-20T00:00:00") },
    });
    const invoice = await api.getOk(`/invoices/${changed.body.latest_invoice}`);
    expect(invoice).toMatchObject({ kind: "plan_change", status: "paid", total: 27968, tax: 2542, period_start: jst("2027-01-20T10:00:00"), period_end: jst("2028-01-20T00:00:00") });
    // The old month's renewal is gone: only the yearly renewal is planned.
    const planned = (await api.getOk(`/subscriptions/${sub.id}/timeline`)).data.filter((e: { status: string }) => e.status === "scheduled");
    expect(planned.map((e: { kind: string; at: string }) => [e.kind, e.at])).toEqual([["renewal", jst("2028-01-20T00:00:00")]]);
  });

  it("changes at the period end: the next renewal bills the new plan; changing back to the current plan withdraws it", async () => {
    const { sub, premium, basic, clock, paymentMethod } = await school();
    const preview = await api.call("POST", `/subscriptions/${sub.id}/change_plan/preview`, { plan: premium.id, when: "period_end" });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ object: "plan_change_preview", plan: premium.id, invoice: null, next_renewal: { at: jst("2027-02-10T00:00:00"), total: 5000, currency: "jpy" } });

    const pending = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id, when: "period_end" });
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ plan: basic.id, pending_plan: premium.id, latest_invoice: sub.latest_invoice, next_action: { kind: "renewal", due_at: jst("2027-02-10T00:00:00") } });
    expect(await chargesOf(paymentMethod.id)).toHaveLength(1);

    // Back to the current plan: the pending change is withdrawn.
    const withdrawn = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: basic.id, when: "period_end" });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ plan: basic.id, pending_plan: null });
    // Nothing left to withdraw: the contract is already on this plan.
    const same = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: basic.id });
    expect(same.status).toBe(409);
    expect(same.body.error).toMatchObject({ type: "invalid_request_error", code: "same_plan", param: "plan" });
    const samePreview = await api.call("POST", `/subscriptions/${sub.id}/change_plan/preview`, { plan: basic.id });
    expect(samePreview.status).toBe(409);
    expect(samePreview.body.error).toMatchObject({ code: "same_plan", param: "plan" });

    expect((await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id, when: "period_end" })).body.pending_plan).toBe(premium.id);
    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    const renewed = await api.getOk(`/subscriptions/${sub.id}`);
    expect(renewed).toMatchObject({ plan: premium.id, pending_plan: null, current_period_end: jst("2027-03-10T00:00:00") });
    expect(await api.getOk(`/invoices/${renewed.latest_invoice}`)).toMatchObject({ kind: "renewal", plan: premium.id, status: "paid", total: 5000 });
    expect((await invoicesOf(sub.id)).map((i) => i.kind)).toEqual(["renewal", "first"]);
  });

  it("changes now without proration: the new plan applies at once and is billed from the paid-through date, nothing charged now", async () => {
    const { sub, premium, clock, paymentMethod } = await school();
    const preview = await api.call("POST", `/subscriptions/${sub.id}/change_plan/preview`, { plan: premium.id, proration: "none" });
    expect(preview.body).toEqual({ object: "plan_change_preview", plan: premium.id, invoice: null, next_renewal: { at: jst("2027-02-10T00:00:00"), total: 5000, currency: "jpy" } });
    const changed = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id, proration: "none" });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ plan: premium.id, pending_plan: null, credit_balance: 0, latest_invoice: sub.latest_invoice, current_period_end: jst("2027-02-10T00:00:00") });
    expect(await chargesOf(paymentMethod.id)).toHaveLength(1);
    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    expect(await api.getOk(`/invoices/${(await api.getOk(`/subscriptions/${sub.id}`)).latest_invoice}`)).toMatchObject({ kind: "renewal", plan: premium.id, total: 5000 });
  });

  it("changes a trial's plan now with no charge; the trial goes on and converts on the new plan", async () => {
    const trialPlan = await f.plan({ name: "ベーシック（お試し付き）", amount: 3000, trial_days: 14 });
    const premium = await f.plan({ name: "プレミアム", amount: 5000 });
    const { customer, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")) });
    const sub = (await api.call("POST", "/subscriptions", { customer: customer.id, plan: trialPlan.id })).body;
    const preview = await api.call("POST", `/subscriptions/${sub.id}/change_plan/preview`, { plan: premium.id });
    expect(preview.body).toMatchObject({ invoice: null, next_renewal: { at: jst("2027-01-24T00:00:00"), total: 5000 } });
    const changed = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: "trialing", plan: premium.id, trial_end: jst("2027-01-24T00:00:00"), latest_invoice: null, next_action: { kind: "trial_end", due_at: jst("2027-01-24T00:00:00") } });
    await f.advance(clock!.id, new Date(jst("2027-01-24T12:00:00")));
    const converted = await api.getOk(`/subscriptions/${sub.id}`);
    expect(converted).toMatchObject({ status: "active", plan: premium.id });
    expect(await api.getOk(`/invoices/${converted.latest_invoice}`)).toMatchObject({ kind: "first", plan: premium.id, total: 5000 });
  });

  it("answers 402 when the change's charge is declined (soft or hard), and the contract stays as it was", async () => {
    const { sub, premium, basic, paymentMethod, clock } = await school();
    await f.setCard(paymentMethod.id, "decline");
    const before = await api.getOk(`/subscriptions/${sub.id}`);
    const declined = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({
      type: "card_error",
      code: "card_declined",
      decline_code: "card_declined",
      decline_kind: "soft",
      subscription: sub.id,
      invoice: expect.stringMatching(/^in_/),
    });
    const after = await api.getOk(`/subscriptions/${sub.id}`);
    expect(after).toEqual({ ...before, latest_invoice: declined.body.error.invoice });
    expect(after).toMatchObject({ status: "active", plan: basic.id, next_action: { kind: "renewal", due_at: jst("2027-02-10T00:00:00") } });
    expect(await api.getOk(`/invoices/${declined.body.error.invoice}`)).toMatchObject({ kind: "plan_change", status: "void", total: 1355, attempts: [{ status: "failed", failure_code: "card_declined" }] });
    expect(await mailsOf(sub.id, "plan_changed")).toEqual([]);

    // A minute later, with the card fixed, the change goes through and is charged once.
    await f.setCard(paymentMethod.id, "succeed");
    await f.advance(clock.id, new Date(jst("2027-01-20T10:01:00")));
    const fixed = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ status: "active", plan: premium.id });
    expect(await api.getOk(`/invoices/${fixed.body.latest_invoice}`)).toMatchObject({ kind: "plan_change", status: "paid", total: 1355 });
    expect((await chargesOf(paymentMethod.id, 1355)).map((c) => c.outcome)).toEqual(["failed", "succeeded"]);

    // A lost card: a hard decline; a plan change's failure does not make the contract overdue either.
    const other = await school();
    const lost = await api.call("POST", `/test_helpers/payment_methods/${other.paymentMethod.id}/behavior`, { behavior: "lost_card" });
    expect(lost.status).toBe(200);
    const hard = await api.call("POST", `/subscriptions/${other.sub.id}/change_plan`, { plan: other.yearly.id });
    expect(hard.status).toBe(402);
    expect(hard.body.error).toMatchObject({ type: "card_error", code: "card_declined", decline_code: "lost_card", decline_kind: "hard", subscription: other.sub.id, invoice: expect.stringMatching(/^in_/) });
    expect(await api.getOk(`/subscriptions/${other.sub.id}`)).toEqual({ ...other.sub, latest_invoice: hard.body.error.invoice });
    expect(await api.getOk(`/invoices/${hard.body.error.invoice}`)).toMatchObject({ kind: "plan_change", status: "void", total: 27968 });
  });

  it("after a declined change, the same change at the same moment with the card fixed changes the plan (not a silent 200)", async () => {
    const { sub, premium, paymentMethod } = await school();
    await f.setCard(paymentMethod.id, "decline");
    const declined = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id });
    expect(declined.status).toBe(402);
    await f.setCard(paymentMethod.id, "succeed");
    // The test clock has not moved: the request is the same, the card is not.
    const fixed = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ status: "active", plan: premium.id });
    expect(await api.getOk(`/invoices/${fixed.body.latest_invoice}`)).toMatchObject({ kind: "plan_change", status: "paid", total: 1355 });
    expect((await chargesOf(paymentMethod.id, 1355)).filter((c) => c.outcome === "succeeded")).toHaveLength(1);
  });

  it("refuses bad bodies and other plans with the parameter named, on both the change and its preview, and writes nothing", async () => {
    const { sub, premium } = await school();
    const usd = await f.plan({ name: "Premium (USD)", amount: 5000, currency: "usd" });
    const exclusive = await f.plan({ name: "プレミアム（税別）", amount: 4546, tax_behavior: "exclusive" });
    const other = await setupTestApi(database);
    const theirs = await billingFixtures(database, other).plan({ amount: 5000 });
    const before = await snapshot(sub.id);
    const cases: [unknown, number, string | null, string][] = [
      [{}, 400, "plan", "parameter_missing"],
      [{ plan: 42 }, 400, "plan", "parameter_invalid"],
      [{ plan: "" }, 400, "plan", "parameter_invalid"],
      [{ plan: premium.id, when: "tomorrow" }, 400, "when", "parameter_invalid"],
      [{ plan: premium.id, when: null }, 400, "when", "parameter_invalid"],
      [{ plan: premium.id, proration: "monthly" }, 400, "proration", "parameter_invalid"],
      [{ plan: premium.id, prorate: false }, 400, "prorate", "parameter_unknown"],
      [{ plan: usd.id }, 400, "plan", "currency_mismatch"],
      [{ plan: usd.id, when: "period_end" }, 400, "plan", "currency_mismatch"],
      [{ plan: exclusive.id, proration: "daily" }, 400, "plan", "tax_mismatch"],
      [{ plan: "plan_nope" }, 404, "plan", "resource_missing"],
      [{ plan: theirs.id }, 404, "plan", "resource_missing"],
    ];
    for (const path of [`/subscriptions/${sub.id}/change_plan`, `/subscriptions/${sub.id}/change_plan/preview`]) {
      for (const [body, status, param, code] of cases) {
        const r = await api.call("POST", path, body);
        expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(status);
        expect(r.body.error, `${path} ${JSON.stringify(body)}`).toMatchObject({ type: "invalid_request_error", param, code });
      }
      expect((await api.call("POST", path, "{plan:")).body.error.code).toBe("body_not_json");
    }
    expect(await snapshot(sub.id)).toEqual(before);
    // Another tax treatment is fine without proration.
    const none = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: exclusive.id, proration: "none" });
    expect(none.status).toBe(200);
    expect(none.body.plan).toBe(exclusive.id);
  });

  it("answers 409 unless the contract is active or trialing, or when it ends at its period end, and writes nothing", async () => {
    const pastDue = await school("basic", { advanceTo: "2027-01-11T00:00:00" });
    await f.setCard(pastDue.paymentMethod.id, "decline");
    await f.advance(pastDue.clock.id, new Date(jst("2027-02-10T12:00:00")));
    const paused = await school();
    await api.call("POST", `/subscriptions/${paused.sub.id}/pause`, {});
    const canceled = await school();
    await api.call("POST", `/subscriptions/${canceled.sub.id}/cancel`, { at_period_end: false });
    const incomplete = await school();
    const declining = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), card: "decline" });
    const signup = await api.call("POST", "/subscriptions", { customer: declining.customer.id, plan: incomplete.basic.id });
    expect(signup.status).toBe(402);
    const incompleteSub = await api.getOk(`/subscriptions/${signup.body.error.subscription}`);
    const cases: [string, { id: string; status: string }, string][] = [
      ["past_due", await api.getOk(`/subscriptions/${pastDue.sub.id}`), pastDue.premium.id],
      ["paused", await api.getOk(`/subscriptions/${paused.sub.id}`), paused.premium.id],
      ["canceled", await api.getOk(`/subscriptions/${canceled.sub.id}`), canceled.premium.id],
      ["incomplete", incompleteSub, incomplete.premium.id],
    ];
    for (const [status, sub, plan] of cases) {
      expect(sub.status).toBe(status);
      const before = await snapshot(sub.id);
      for (const body of [{ plan }, { plan, when: "period_end" }, { plan, proration: "none" }]) {
        for (const path of [`/subscriptions/${sub.id}/change_plan`, `/subscriptions/${sub.id}/change_plan/preview`]) {
          const r = await api.call("POST", path, body);
          expect(r.status, `${status} ${path} ${JSON.stringify(body)}`).toBe(409);
          expect(r.body.error).toMatchObject({ type: "invalid_request_error", code: "illegal_state" });
        }
      }
      expect(await snapshot(sub.id), status).toEqual(before);
    }

    // Set to end at its period end: there is no next period to change; a change now is still possible.
    const ending = await school();
    await api.call("POST", `/subscriptions/${ending.sub.id}/cancel`, {});
    const before = await snapshot(ending.sub.id);
    for (const path of [`/subscriptions/${ending.sub.id}/change_plan`, `/subscriptions/${ending.sub.id}/change_plan/preview`]) {
      const r = await api.call("POST", path, { plan: ending.premium.id, when: "period_end" });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ type: "invalid_request_error", code: "already_canceling" });
    }
    expect(await snapshot(ending.sub.id)).toEqual(before);
    const now = await api.call("POST", `/subscriptions/${ending.sub.id}/change_plan`, { plan: ending.premium.id });
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ plan: ending.premium.id, cancel_at_period_end: true, next_action: { kind: "period_end_cancel", due_at: jst("2027-02-10T00:00:00") } });
  });

  it("treats another merchant's subscriptions as absent", async () => {
    const { sub, premium } = await school();
    const before = await snapshot(sub.id);
    const other = await setupTestApi(database);
    const theirPlan = await billingFixtures(database, other).plan({ amount: 5000 });
    for (const path of [`/subscriptions/${sub.id}/change_plan`, `/subscriptions/${sub.id}/change_plan/preview`]) {
      for (const plan of [premium.id, theirPlan.id]) {
        const r = await other.call("POST", path, { plan });
        expect(r.status, path).toBe(404);
        expect(r.body.error).toMatchObject({ type: "invalid_request_error", code: "resource_missing" });
      }
    }
    expect(await snapshot(sub.id)).toEqual(before);
  });

  it("replays a change under one Idempotency-Key, and a change whose charge got no answer is confirmed by the same change, never charged twice", async () => {
    const { sub, premium, yearly, paymentMethod } = await school();
    const key = { "idempotency-key": `change-${crypto.randomUUID()}` };
    // The gateway does not answer: 503, the change waits for its payment.
    const silent = apiThrough({ ...createSandboxGateway(database.db), charge: async () => Promise.reject(new Error("timeout")) });
    const lost = await silent("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id }, key);
    expect(lost.status).toBe(503);
    expect(lost.body.error).toMatchObject({ type: "api_error", code: "gateway_unavailable" });
    const waiting = await api.getOk(`/subscriptions/${sub.id}`);
    expect(waiting).toMatchObject({ plan: sub.plan, status: "active" });
    expect(await api.getOk(`/invoices/${waiting.latest_invoice}`)).toMatchObject({ kind: "plan_change", status: "open", attempts: [{ status: "unknown" }] });
    // Another change meanwhile is refused.
    const another = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: yearly.id });
    expect(another.status).toBe(409);
    expect(another.body.error).toMatchObject({ type: "invalid_request_error", code: "change_in_progress" });

    // The same request again (5xx answers are not kept under the key) replays the attempt in flight.
    const confirmed = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id }, key);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ plan: premium.id, latest_invoice: waiting.latest_invoice });
    expect(await api.getOk(`/invoices/${waiting.latest_invoice}`)).toMatchObject({ status: "paid", total: 1355, attempts: [{ status: "succeeded" }] });
    const replayed = await api.call("POST", `/subscriptions/${sub.id}/change_plan`, { plan: premium.id }, key);
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.body).toEqual(confirmed.body);
    expect(await chargesOf(paymentMethod.id, 1355)).toHaveLength(1);
    expect((await invoicesOf(sub.id)).filter((i) => i.kind === "plan_change")).toHaveLength(1);
  });

  it("documents the change and its preview in the OpenAPI document", async () => {
    const doc = (await api.call("GET", "/openapi.json", undefined, {}, null)).body;
    for (const path of ["/subscriptions/{id}/change_plan", "/subscriptions/{id}/change_plan/preview"]) {
      const op = doc.paths[path].post;
      expect(op.tags).toEqual(["Subscriptions"]);
      const body = op.requestBody.content["application/json"].schema;
      expect(Object.keys(body.properties)).toEqual(["plan", "when", "proration"]);
      expect(body.required).toEqual(["plan"]);
      expect(body.properties.when).toMatchObject({ enum: ["now", "period_end"], default: "now" });
      expect(body.properties.proration).toMatchObject({ enum: ["daily", "none"], default: "daily" });
      expect(body.additionalProperties).toBe(false);
    }
    expect(doc.paths["/subscriptions/{id}/change_plan"].post.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/Subscription");
    expect(doc.paths["/subscriptions/{id}/change_plan/preview"].post.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/PlanChangePreview");
    expect(Object.keys(doc.components.schemas.PlanChangePreview.properties)).toEqual(["object", "plan", "invoice", "next_renewal"]);
    expect(doc.components.schemas.Subscription.properties).toHaveProperty("pending_plan");
    expect(doc.components.schemas.Subscription.properties).toHaveProperty("credit_balance");
  });
});
