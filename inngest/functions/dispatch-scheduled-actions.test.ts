import { and, asc, eq, isNull, lte } from "drizzle-orm";
import { testPlatform } from "@/test/support/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { scheduledActions } from "@/db/schema";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { fixedClock } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { cancelSubscription } from "@/lib/services/cancel-subscription";
import { createSubscription } from "@/lib/services/create-subscription";
import { callOffActions, planActions } from "@/lib/services/internal/scheduled-actions";
import { runActionsInDueOrder } from "@/lib/services/run-due-actions";
import { contractHistory, jst, setupClockCustomer, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { markDispatched, undispatchedActions } from "@/lib/services/internal/scheduled-actions";
import type { ActionScheduledData } from "../client";
import { executeDispatcher, executeFlow, flowsByKind, openIsolatedTestDatabase, sandboxChargeCount, simClock, testRunContext } from "@/test/support/inngest";
import { DISPATCH_HORIZON_MS } from "./dispatch-scheduled-actions";

/**
 * The dispatcher (outbox relay), and seed 000 (trial → joining fee + first month → card goes bad → retries → dunning → withdrawn) lived twice on
 * customers without a test clock: once through the Inngest functions — dispatcher, then each
 * `keizoku/action.scheduled` in due order through its flow with the sleep mocked and the clock at the due
 * time, cancel events dropping the runs they would cancel — and once through runActionsInDueOrder (the
 * embedded path). Same invoices, attempts, mails, actions and statuses.
 *
 * The dispatcher acts on every merchant's rows: this file has a database of its own (openIsolatedTestDatabase),
 * and its tests still look only at their own merchant's events.
 */
const START = jst("2027-01-10T12:00:00");
const CARD_GOES_BAD = jst("2027-02-01T00:00:00");
const UNTIL = jst("2027-06-01T00:00:00");

let database: Database;
beforeAll(async () => {
  database = await openIsolatedTestDatabase();
});
afterAll(async () => database.close());

async function startContract(m: TestMerchant) {
  const ctx = m.ctx(fixedClock(START));
  const product = await createProduct(ctx, { name: "オンライン講座" });
  const plan = await createPlan(ctx, { amount: 3000, interval: "month", trialDays: 14, joiningFee: 5000, productId: product.id });
  const customer = await createCustomer(ctx, { email: "member@example.jp", name: "山田 太郎" });
  const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, START);
  const paymentMethod = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
  const cardGoesBadBefore = async (dueAt: Date) => {
    if (dueAt >= CARD_GOES_BAD) await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
  };
  return { subscription, cardGoesBadBefore };
}

type FlowRun = { fn: string; kind: string; sleptUntil: unknown[][]; stepsRun: unknown[]; outcome: string | undefined };

/** Dispatch → run the earliest scheduled event's flow at its due time → repeat, until nothing is due by `until`. */
async function liveThroughFlows(m: TestMerchant, until: Date, beforeEach: (dueAt: Date) => Promise<void>): Promise<FlowRun[]> {
  const clock = simClock(START);
  const runContext = testRunContext(database, m.gateway, clock);
  const flows = flowsByKind(runContext);
  const queued = new Map<string, ActionScheduledData>();
  const started = new Set<string>();
  const runs: FlowRun[] = [];
  for (let round = 0; round < 100; round++) {
    const { events } = await executeDispatcher(runContext);
    for (const e of events) {
      if (e.name === "keizoku/action.scheduled") {
        // Inngest starts one run per event id; other test files' merchants are not ours to run.
        if (e.data.merchantId !== m.merchantId || started.has(e.id)) continue;
        started.add(e.id);
        queued.set(e.data.actionId, e.data);
      } else {
        for (const [actionId, d] of queued) {
          const flow = flows[d.kind].id;
          const canceled =
            (e.name === "keizoku/action.canceled" && e.data.actionId === actionId) ||
            (e.name === "keizoku/invoice.paid" && (flow === "payment-retry" || flow === "dunning") && e.data.invoiceId === d.invoiceId) ||
            (e.name === "keizoku/subscription.ended" && flow === "dunning" && e.data.subscriptionId === d.subscriptionId);
          if (canceled) queued.delete(actionId);
        }
      }
    }
    const next = [...queued.values()]
      .filter((d) => Date.parse(d.dueAt) <= until.getTime())
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.actionId.localeCompare(b.actionId))[0];
    if (!next) {
      const [pending] = await database.db
        .select({ id: scheduledActions.id, dueAt: scheduledActions.dueAt })
        .from(scheduledActions)
        .where(and(eq(scheduledActions.merchantId, m.merchantId), isNull(scheduledActions.testClockId), eq(scheduledActions.status, "pending"), lte(scheduledActions.dueAt, until)))
        .orderBy(asc(scheduledActions.dueAt))
        .limit(1);
      if (!pending) return runs;
      const dispatchableFrom = pending.dueAt.getTime() - DISPATCH_HORIZON_MS;
      // A pending action inside the horizon with no run: the flows lost it (reconcile would have to save it).
      if (dispatchableFrom <= clock.now().getTime()) throw new Error(`action ${pending.id} is pending but has no run`);
      clock.set(new Date(dispatchableFrom));
      continue;
    }
    queued.delete(next.actionId);
    clock.set(new Date(next.dueAt));
    await beforeEach(new Date(next.dueAt));
    const run = await executeFlow(flows[next.kind].fn, next);
    if (run.error) throw run.error;
    runs.push({ fn: flows[next.kind].id, kind: next.kind, sleptUntil: run.sleptUntil, stepsRun: run.stepsRun, outcome: run.result?.outcome });
  }
  throw new Error("the scenario did not settle in 100 rounds");
}

/** What a contract went through, without ids: kinds, amounts, statuses and times. */
async function lifeOf(subscriptionId: string) {
  const h = await contractHistory(database, subscriptionId);
  const actions = await database.db
    .select()
    .from(scheduledActions)
    .where(eq(scheduledActions.subscriptionId, subscriptionId))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.kind), asc(scheduledActions.idempotencyKey));
  const { sub } = h;
  return {
    sub: { status: sub.status, trialEnd: sub.trialEnd, paidThrough: sub.paidThrough, endedAt: sub.endedAt, unpaidSince: sub.unpaidSince, joiningFeePending: sub.joiningFeePending },
    invoices: h.invoices.map((i) => ({ kind: i.kind, status: i.status, total: i.total, subtotal: i.subtotal, tax: i.tax, periodStart: i.periodStart, periodEnd: i.periodEnd, issuedAt: i.issuedAt })),
    attempts: h.attempts.map((a) => ({ status: a.status, attemptedAt: a.attemptedAt, amount: a.amount, trigger: a.trigger })),
    mails: h.mails.map((x) => ({ template: x.template, queuedAt: x.queuedAt })),
    actions: actions.map((a) => ({ kind: a.kind, dueAt: a.dueAt, status: a.status, outcome: a.outcome })),
  };
}

describe("seed 000 through the Inngest flows", () => {
  it("gives the same invoices, attempts, mails, actions and statuses as the embedded path", async () => {
    const viaFlows = await setupTestMerchant(database, { now: START });
    const flowsContract = await startContract(viaFlows);
    const runs = await liveThroughFlows(viaFlows, UNTIL, flowsContract.cardGoesBadBefore);

    const viaEmbedded = await setupTestMerchant(database, { now: START });
    const embeddedContract = await startContract(viaEmbedded);
    await runActionsInDueOrder(testPlatform(database.db, { gateway: viaEmbedded.gateway }), { merchantId: viaEmbedded.merchantId, testClockId: null }, UNTIL, embeddedContract.cardGoesBadBefore);

    // Each flow slept until its row's due time and ran one named step.
    expect(runs.map((r) => [r.fn, r.kind, r.sleptUntil, r.stepsRun, r.outcome])).toEqual([
      ["trial-to-charge", "trial_end", [["wait-until-due", jst("2027-01-24T00:00:00").toISOString()]], ["run-trial_end"], "paid"],
      ["renewal", "renewal", [["wait-until-due", jst("2027-02-24T00:00:00").toISOString()]], ["run-renewal"], "failed"],
      ["payment-retry", "retry", [["wait-until-due", jst("2027-03-03T00:00:00").toISOString()]], ["run-retry"], "failed"],
      ["payment-retry", "retry", [["wait-until-due", jst("2027-03-10T00:00:00").toISOString()]], ["run-retry"], "failed"],
      // The unpaid notice (+1 d) was due before the contract became unpaid: sent at once.
      ["dunning", "dunning_notice", [["wait-until-due", jst("2027-03-10T00:00:00").toISOString()]], ["run-dunning_notice"], "mail_queued"],
      ["dunning", "dunning_notice", [["wait-until-due", jst("2027-04-25T00:00:00").toISOString()]], ["run-dunning_notice"], "mail_queued"],
      ["dunning", "dunning_notice", [["wait-until-due", jst("2027-05-02T00:00:00").toISOString()]], ["run-dunning_notice"], "mail_queued"],
      ["dunning", "withdrawal", [["wait-until-due", jst("2027-05-02T01:00:00").toISOString()]], ["run-withdrawal"], "withdrawn"],
    ]);

    const flowsLife = await lifeOf(flowsContract.subscription.id);
    expect(flowsLife).toEqual(await lifeOf(embeddedContract.subscription.id));
    expect(flowsLife.sub).toMatchObject({ status: "withdrawn", endedAt: jst("2027-05-02T01:00:00") });
    expect(flowsLife.invoices.map((i) => [i.kind, i.status, i.total])).toEqual([
      ["first", "paid", 8000],
      ["renewal", "uncollectible", 3000],
    ]);
    expect(flowsLife.attempts.map((a) => a.status)).toEqual(["succeeded", "failed", "failed", "failed"]);
    expect(flowsLife.mails.map((x) => x.template)).toEqual(
      (await lifeOf(embeddedContract.subscription.id)).mails.map((x) => x.template),
    );
    expect(await sandboxChargeCount(database, viaFlows.merchantId)).toBe(await sandboxChargeCount(database, viaEmbedded.merchantId));
  });
});

async function rowsOf(merchantId: string) {
  return database.db
    .select({ id: scheduledActions.id, kind: scheduledActions.kind, status: scheduledActions.status, dueAt: scheduledActions.dueAt, dispatchedAt: scheduledActions.dispatchedAt, testClockId: scheduledActions.testClockId })
    .from(scheduledActions)
    .where(eq(scheduledActions.merchantId, merchantId))
    .orderBy(asc(scheduledActions.dueAt));
}

describe("dispatch-scheduled-actions", () => {
  it("sends one action.scheduled per pending row inside the horizon, none for test-clock rows, and marks what it saw", async () => {
    const now = jst("2027-01-10T12:00:00");
    const m = await setupTestMerchant(database, { now });
    const { subscription } = await startContract(m); // trial_end due 2027-01-24, card expiry notice in 2035
    const onClock = await setupClockCustomer(m, { start: now, plan: { amount: 1000, interval: "month", trialDays: 7 } });
    await createSubscription(m.ctx(fixedClock(now)), { customerId: onClock.customer.id, planId: onClock.plan.id });
    const clock = simClock(jst("2027-01-20T00:00:00"));
    const { events } = await executeDispatcher(testRunContext(database, m.gateway, clock));

    const rows = await rowsOf(m.merchantId);
    const trialEnd = rows.find((r) => r.kind === "trial_end" && !r.testClockId)!;
    const mine = events.filter((e) => rows.some((r) => "actionId" in e.data && e.data.actionId === r.id));
    expect(mine).toEqual([
      {
        name: "keizoku/action.scheduled",
        id: `${trialEnd.id}:${trialEnd.dueAt.toISOString()}`,
        data: { actionId: trialEnd.id, merchantId: m.merchantId, subscriptionId: subscription.id, invoiceId: null, kind: "trial_end", dueAt: jst("2027-01-24T00:00:00").toISOString() },
      },
    ]);
    // Seen: the live trial end and the test-clock customer's rows (marked, never sent); the far card notices wait.
    for (const r of rows) {
      const inHorizon = r.dueAt.getTime() <= clock.now().getTime() + DISPATCH_HORIZON_MS;
      expect({ kind: r.kind, dispatched: r.dispatchedAt !== null }).toEqual({ kind: r.kind, dispatched: inHorizon });
    }
    expect(rows.some((r) => r.testClockId && r.dispatchedAt)).toBe(true);
    const again = await executeDispatcher(testRunContext(database, m.gateway, clock));
    expect(again.events.filter((e) => rows.some((r) => "actionId" in e.data && e.data.actionId === r.id))).toEqual([]);
  });

  it("tells Inngest about canceled rows: action.canceled, subscription.ended on a cancel, invoice.paid on a payment; a revived row goes out again", async () => {
    const now = jst("2027-01-10T12:00:00");
    const m = await setupTestMerchant(database, { now });
    const { subscription } = await startContract(m);
    const clock = simClock(jst("2027-01-20T00:00:00"));
    const runContext = testRunContext(database, m.gateway, clock);
    const retry = { merchantId: m.merchantId, kind: "retry" as const, dueAt: jst("2027-01-22T00:00:00"), key: "retry:inv_test:1", subscriptionId: subscription.id, invoiceId: "inv_test" };
    await planActions(database.db, [retry]);
    await executeDispatcher(runContext);
    const [retryRow] = (await rowsOf(m.merchantId)).filter((r) => r.kind === "retry");

    await callOffActions(database.db, [{ subscriptionId: subscription.id, kinds: ["retry"], reason: "paid" }]);
    expect((await rowsOf(m.merchantId)).find((r) => r.id === retryRow!.id)!.dispatchedAt).toBeNull();
    let { events } = await executeDispatcher(runContext);
    expect(events.filter((e) => e.data.subscriptionId === subscription.id)).toEqual([
      { name: "keizoku/action.canceled", data: { actionId: retryRow!.id, subscriptionId: subscription.id, invoiceId: "inv_test", reason: "paid" } },
      { name: "keizoku/invoice.paid", data: { invoiceId: "inv_test", subscriptionId: subscription.id } },
    ]);

    // Planned again (with a new time): the same row, pending, sent with a new event id.
    await planActions(database.db, [{ ...retry, dueAt: jst("2027-01-23T00:00:00") }]);
    ({ events } = await executeDispatcher(runContext));
    expect(events.filter((e) => e.data.subscriptionId === subscription.id).map((e) => [e.name, "id" in e ? e.id : null])).toEqual([
      ["keizoku/action.scheduled", `${retryRow!.id}:${jst("2027-01-23T00:00:00").toISOString()}`],
    ]);

    await cancelSubscription(m.ctx(fixedClock(jst("2027-01-21T00:00:00"))), { subscriptionId: subscription.id, atPeriodEnd: false });
    ({ events } = await executeDispatcher(runContext));
    const forContract = events.filter((e) => e.data.subscriptionId === subscription.id);
    expect(forContract.map((e) => [e.name, "reason" in e.data ? e.data.reason : null])).toEqual([
      ["keizoku/action.canceled", "canceled"],
      ["keizoku/subscription.ended", "canceled"],
      ["keizoku/action.canceled", "canceled"],
    ]);
  });

  it("marks only rows still as they were read: a row canceled in between goes out with the next pass", async () => {
    const m = await setupTestMerchant(database, { now: START });
    const { subscription } = await startContract(m);
    const seen = (await undispatchedActions(database.db, new Date(START.getTime() + DISPATCH_HORIZON_MS * 10), 10_000)).filter((r) => r.merchantId === m.merchantId);
    expect(seen.map((r) => r.kind).sort()).toEqual(["trial_end"]);
    await callOffActions(database.db, [{ subscriptionId: subscription.id, kinds: ["trial_end"], reason: "superseded" }]);
    await markDispatched(database.db, seen, START);
    const [row] = (await rowsOf(m.merchantId)).filter((r) => r.kind === "trial_end");
    expect([row!.status, row!.dispatchedAt]).toEqual(["canceled", null]);
  });
});
