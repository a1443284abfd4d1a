import { eq } from "drizzle-orm";
import { testPlatform } from "@/test/support/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { scheduledActions } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { fixedClock } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { runDueAction } from "@/lib/services/run-due-actions";
import { contractHistory, jst, setupClockCustomer, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import type { ActionScheduledData } from "../client";
import { actionScheduledEvent } from "../outbox-events";
import { executeFlow, flowsByKind, sandboxChargeCount, simClock, testRunContext } from "@/test/support/inngest";
import { createCardExpiryNotice } from "./card-expiry-notice";
import { createDunning } from "./dunning";
import { createPaymentRetry } from "./payment-retry";
import { createRenewal } from "./renewal";
import { createTrialToCharge } from "./trial-to-charge";

const START = jst("2027-01-10T12:00:00");
const RENEWAL_DUE = jst("2027-02-10T00:00:00");

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

/** A paid-up monthly contract (no trial, no test clock): its renewal is pending at RENEWAL_DUE. */
async function paidUpContract(m: TestMerchant) {
  const ctx = m.ctx(fixedClock(START));
  const product = await createProduct(ctx, { name: "月刊誌" });
  const plan = await createPlan(ctx, { amount: 2000, interval: "month", productId: product.id });
  const customer = await createCustomer(ctx, { email: "reader@example.jp", name: "佐藤 花子" });
  const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, START);
  await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
  const [renewal] = await database.db.select().from(scheduledActions).where(eq(scheduledActions.subscriptionId, subscription.id));
  expect([renewal!.kind, renewal!.dueAt]).toEqual(["renewal", RENEWAL_DUE]);
  return { subscription, renewal: renewal!, event: actionScheduledEvent({ ...renewal!, dueAt: renewal!.dueAt.toISOString() }).data as ActionScheduledData };
}

describe("per-action flows", () => {
  it("renewal sleeps until the row's due time, then charges in one named step", async () => {
    const m = await setupTestMerchant(database, { now: START });
    const { subscription, event } = await paidUpContract(m);
    const run = await executeFlow(createRenewal(testRunContext(database, m.gateway, fixedClock(RENEWAL_DUE))), event);
    expect(run).toMatchObject({ sleptUntil: [["wait-until-due", RENEWAL_DUE.toISOString()]], stepsRun: ["run-renewal"], result: { outcome: "paid" } });
    const h = await contractHistory(database, subscription.id);
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([["first", "paid"], ["renewal", "paid"]]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-10T00:00:00")]]);
    expect(await sandboxChargeCount(database, m.merchantId)).toBe(2);
  });

  it("charges once when the step runs again (at-least-once retry) or a duplicate event gets through", async () => {
    const m = await setupTestMerchant(database, { now: START });
    const { event } = await paidUpContract(m);
    const renewal = createRenewal(testRunContext(database, m.gateway, fixedClock(RENEWAL_DUE)));
    const first = await executeFlow(renewal, event);
    const retried = await executeFlow(renewal, event);
    expect([first.result?.outcome, retried.result?.outcome]).toEqual(["paid", "already_done"]);
    expect(await sandboxChargeCount(database, m.merchantId)).toBe(2); // the first payment and one renewal
  });

  it("charges once when both drivers act on the same action, one after the other or at once", async () => {
    for (const order of ["embedded-first", "flow-first", "together"] as const) {
      const m = await setupTestMerchant(database, { now: START });
      const { event, renewal } = await paidUpContract(m);
      const clock = fixedClock(RENEWAL_DUE);
      const flow = () => executeFlow(createRenewal(testRunContext(database, m.gateway, clock)), event);
      const embedded = () => runDueAction(testPlatform(database.db, { gateway: m.gateway, clock: clock }), renewal.id);
      if (order === "embedded-first") {
        // What the embedded runner calls for each action it claims (runDueBatch itself would claim other test files' rows).
        expect((await embedded()).outcome).toBe("paid");
        expect((await flow()).result?.outcome).toBe("already_done");
      } else if (order === "flow-first") {
        await flow();
        expect((await embedded()).outcome).toBe("already_done");
      } else {
        await Promise.all([flow(), embedded()]);
      }
      expect(await sandboxChargeCount(database, m.merchantId), order).toBe(2);
    }
  });

  it("leaves a re-planned action to the run for its new time, and test-clock actions to their clock", async () => {
    const m = await setupTestMerchant(database, { now: START });
    const { event, renewal } = await paidUpContract(m);
    const renewalFlow = createRenewal(testRunContext(database, m.gateway, fixedClock(RENEWAL_DUE)));
    await database.db.update(scheduledActions).set({ dueAt: jst("2027-02-11T00:00:00") }).where(eq(scheduledActions.id, renewal.id));
    expect((await executeFlow(renewalFlow, event)).result?.outcome).toBe("rescheduled");

    const onClock = await setupClockCustomer(m, { start: START, plan: { amount: 1000, interval: "month", trialDays: 7 } });
    const subscription = await createSubscription(m.ctx(), { customerId: onClock.customer.id, planId: onClock.plan.id });
    const [trialEnd] = await database.db.select().from(scheduledActions).where(eq(scheduledActions.subscriptionId, subscription.id));
    const data = actionScheduledEvent({ ...trialEnd!, dueAt: trialEnd!.dueAt.toISOString() }).data as ActionScheduledData;
    const run = await executeFlow(createTrialToCharge(testRunContext(database, m.gateway, fixedClock(trialEnd!.dueAt))), data);
    expect(run.result?.outcome).toBe("skipped_test_clock");
    expect(await sandboxChargeCount(database, m.merchantId)).toBe(1);
  });

  it("retries a step woken before its time instead of running the action early", async () => {
    const m = await setupTestMerchant(database, { now: START });
    const { event } = await paidUpContract(m);
    const early = await executeFlow(createRenewal(testRunContext(database, m.gateway, fixedClock(new Date(RENEWAL_DUE.getTime() - 1000)))), event);
    expect((early.error as { message?: string }).message).toMatch(/not due until/);
    expect(await sandboxChargeCount(database, m.merchantId)).toBe(1);
  });

  it("every action kind has exactly one flow, and each flow is configured as designed", () => {
    const runContext = testRunContext(database, {} as never, simClock(START));
    const byKind = flowsByKind(runContext);
    expect(Object.fromEntries(Object.entries(byKind).map(([k, f]) => [k, f.id]))).toEqual({
      trial_end: "trial-to-charge",
      trial_reminder: "trial-to-charge",
      renewal: "renewal",
      period_end_cancel: "renewal",
      final_invoice: "renewal",
      unpause: "renewal",
      retry: "payment-retry",
      dunning_notice: "dunning",
      atobarai_fallback: "dunning",
      withdrawal: "dunning",
      card_expiry_notice: "card-expiry-notice",
    });
    const opts = (fn: { opts: object }) => fn.opts as Record<string, unknown>;
    const cancelEvents = (fn: { opts: object }) =>
      (opts(fn).cancelOn as { event: { name?: string } | string; if: string }[]).map((c) => [typeof c.event === "string" ? c.event : c.event.name, c.if]);
    const retry = createPaymentRetry(runContext);
    expect(opts(retry)).toMatchObject({
      id: "payment-retry",
      idempotency: "event.data.actionId + '-' + event.data.dueAt",
      concurrency: [{ scope: "env", key: `"contract-" + event.data.subscriptionId`, limit: 1 }],
    });
    expect(cancelEvents(retry)).toEqual([
      ["keizoku/action.canceled", "async.data.actionId == event.data.actionId"],
      ["keizoku/invoice.paid", "async.data.invoiceId == event.data.invoiceId"],
    ]);
    expect(cancelEvents(createDunning(runContext)).map((c) => c[0])).toEqual(["keizoku/action.canceled", "keizoku/invoice.paid", "keizoku/subscription.ended"]);
    expect(cancelEvents(createRenewal(runContext)).map((c) => c[0])).toEqual(["keizoku/action.canceled"]);
    expect((opts(createCardExpiryNotice(runContext)).triggers as { cron?: string }[])[0]).toEqual({ cron: "TZ=Asia/Tokyo 0 0 1 * *" });
  });
});
