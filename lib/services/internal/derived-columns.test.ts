import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/bulk-write";
import type { Database } from "@/db/client";
import { scheduledActions, subscriptions } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { seedDueRenewals } from "@/test/fixtures/due-renewals";
import { jst, setupTestMerchant, signedUpContract } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { createSandboxGateway } from "@/lib/gateways/sandbox";
import { fixedClock } from "../context";
import { runDueActions } from "../run-due-actions";
import { advanceTestClock } from "../advance-test-clock";
import { cancelSubscription } from "../cancel-subscription";
import { pauseSubscription } from "../pause-subscription";
import { resumeSubscription } from "../resume-subscription";
import { retryPayment } from "../retry-payment";
import { setTestCardBehavior } from "../set-test-card-behavior";
import { addPaymentMethod } from "../add-payment-method";
import { updateSubscriptionPaymentMethod } from "../update-payment-method";
import { callOffActions, completeActions, planActions } from "./scheduled-actions";

/**
 * What the contracts workspace reads instead of computing it at a million rows must always agree with what it
 * summarises, whatever verb or bill run changed the contract: subscriptions.next_action_kind / next_action_at (kept
 * by the scheduled-actions module), subscriptions.card_expiry_month and subscription_counts (kept by triggers).
 */
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

/** The contract's next action as stored, and as its pending actions say it is. */
async function nextAction(subscriptionId: string) {
  const [stored] = await database.db
    .select({ kind: subscriptions.nextActionKind, at: subscriptions.nextActionAt })
    .from(subscriptions)
    .where(eq(subscriptions.id, subscriptionId));
  const [earliest] = await database.db
    .select({ kind: scheduledActions.kind, at: scheduledActions.dueAt })
    .from(scheduledActions)
    .where(and(eq(scheduledActions.subscriptionId, subscriptionId), eq(scheduledActions.status, "pending")))
    .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
    .limit(1);
  expect(stored, "next_action_* as the pending actions say").toEqual(earliest ?? { kind: null, at: null });
  return stored!;
}

/** The merchant's contracts counted by status, plan, test clock and overdue, from the counters and from the rows. */
async function expectCountsRight(m: { merchantId: string }) {
  const fromCounters = rowsOf<{ key: string; n: string }>(
    await database.db.execute(sql`
      select plan_id || '/' || test_clock_id || '/' || status || '/' || overdue as key, sum(n)::text as n from (
        select plan_id, test_clock_id, status, overdue, count as n from subscription_counts where merchant_id = ${m.merchantId}
        union all
        select plan_id, test_clock_id, status, overdue, delta from subscription_count_changes where merchant_id = ${m.merchantId}
      ) c group by 1 having sum(n) <> 0 order by 1`),
  );
  const fromRows = rowsOf<{ key: string; n: string }>(
    await database.db.execute(sql`
      select plan_id || '/' || coalesce(test_clock_id, '') || '/' || status || '/' || (overdue_invoice_id is not null) as key, count(*)::text as n
      from subscriptions where merchant_id = ${m.merchantId} group by 1 order by 1`),
  );
  expect(fromCounters).toEqual(fromRows);
}

describe("a contract's next action follows its schedule", () => {
  it("through sign-up, renewals, a declined renewal, its retries, a manual retry, recovery, cancel at period end and resume", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    expect(await nextAction(subscription.id)).toEqual({ kind: "renewal", at: jst("2027-02-10T00:00:00") });
    await expectCountsRight(m);

    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-10T06:00:00") });
    expect(await nextAction(subscription.id)).toEqual({ kind: "renewal", at: jst("2027-03-10T00:00:00") });

    // The March renewal is declined: the first retry is next (7 days after the failure).
    await setTestCardBehavior(m.ctx(), { paymentMethodId: paymentMethod.id, behavior: "decline" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-03-10T06:00:00") });
    const pastDue = await nextAction(subscription.id);
    expect(pastDue.kind).toBe("retry");
    await expectCountsRight(m);
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-03-18T00:00:00") });
    expect((await nextAction(subscription.id)).kind).toBe("retry");

    // A manual retry on a date earlier than the automatic one becomes the next action.
    await retryPayment(m.ctx(), { subscriptionId: subscription.id, at: jst("2027-03-20T10:00:00") });
    expect(await nextAction(subscription.id)).toEqual({ kind: "retry", at: jst("2027-03-20T10:00:00") });

    // The card works again: the manual retry collects, the retries and notices are called off, renewals resume.
    await setTestCardBehavior(m.ctx(), { paymentMethodId: paymentMethod.id, behavior: "succeed" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-03-21T00:00:00") });
    const recovered = await nextAction(subscription.id);
    expect(recovered.kind).toBe("renewal");
    await expectCountsRight(m);

    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(await nextAction(subscription.id)).toMatchObject({ kind: "period_end_cancel", at: recovered.at });
    await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(await nextAction(subscription.id)).toEqual(recovered);

    // Canceled now: nothing is planned any more.
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, atPeriodEnd: false });
    expect(await nextAction(subscription.id)).toEqual({ kind: null, at: null });
    await expectCountsRight(m);
  });

  it("through retries exhausted (unpaid), the dunning notices, and a withdrawal", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await setTestCardBehavior(m.ctx(), { paymentMethodId: paymentMethod.id, behavior: "decline" });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-25T00:00:00") });
    // Both retries failed (Feb 17, Feb 24): unpaid; the unpaid notice went out at +1 day; the final notice is next.
    const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(sub!.status).toBe("unpaid");
    expect(await nextAction(subscription.id)).toMatchObject({ kind: "dunning_notice" });
    await expectCountsRight(m);
    // Paid through Feb 10: the final notice went out at +60 days (Apr 11); the withdrawal notice (+67 days) is next,
    // then the withdrawal an hour after it.
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-04-12T00:00:00") });
    expect(await nextAction(subscription.id)).toEqual({ kind: "dunning_notice", at: jst("2027-04-18T00:00:00") });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-04-18T00:30:00") });
    expect(await nextAction(subscription.id)).toEqual({ kind: "withdrawal", at: jst("2027-04-18T01:00:00") });
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-05-01T00:00:00") });
    const [withdrawn] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(withdrawn!.status).toBe("withdrawn");
    expect(await nextAction(subscription.id)).toEqual({ kind: null, at: null });
    await expectCountsRight(m);
  });

  it("through pause (with and without a date to un-pause) and resume", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m);
    await pauseSubscription(m.ctx(), { subscriptionId: subscription.id, resumeAt: jst("2027-04-05T09:00:00") });
    expect(await nextAction(subscription.id)).toEqual({ kind: "unpause", at: jst("2027-04-05T09:00:00") });
    await expectCountsRight(m);
    await resumeSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(await nextAction(subscription.id)).toEqual({ kind: "renewal", at: jst("2027-02-10T00:00:00") });
    await pauseSubscription(m.ctx(), { subscriptionId: subscription.id });
    expect(await nextAction(subscription.id)).toEqual({ kind: null, at: null });
    await expectCountsRight(m);
  });

  it("is kept by the module's own writes too: plan, call off, complete", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m);
    const renewal = await nextAction(subscription.id);
    const key = `test:${subscription.id}`;
    await planActions(database.db, [{ merchantId: m.merchantId, kind: "retry", dueAt: jst("2027-01-20T00:00:00"), key, subscriptionId: subscription.id, payload: { manual: true } }]);
    expect(await nextAction(subscription.id)).toEqual({ kind: "retry", at: jst("2027-01-20T00:00:00") });
    await callOffActions(database.db, [{ subscriptionId: subscription.id, kinds: ["retry"], reason: "superseded" }]);
    expect(await nextAction(subscription.id)).toEqual(renewal);
    // Planned again, the called-off action comes back, at its new time.
    await planActions(database.db, [{ merchantId: m.merchantId, kind: "retry", dueAt: jst("2027-01-25T00:00:00"), key, subscriptionId: subscription.id }]);
    expect(await nextAction(subscription.id)).toEqual({ kind: "retry", at: jst("2027-01-25T00:00:00") });
    const [retry] = await database.db.select().from(scheduledActions).where(eq(scheduledActions.idempotencyKey, key));
    await completeActions(database.db, [{ actionId: retry!.id, outcome: "test", at: jst("2027-01-25T00:00:00"), status: "done" }]);
    expect(await nextAction(subscription.id)).toEqual(renewal);
  });

  it("through a bill run's batches, some renewals paid and some declined", async () => {
    const dueAt = jst("2027-03-01T00:00:00");
    const { merchantId, subscriptionIds } = await seedDueRenewals(database.db, { count: 10, dueAt });
    const gateway = createSandboxGateway(database.db);
    const declined = new Set(subscriptionIds.slice(0, 3));
    const cards = await database.db.execute(sql`
      select s.id, pm.gateway_ref from subscriptions s join payment_methods pm on pm.id = s.payment_method_id where s.merchant_id = ${merchantId}`);
    for (const row of rowsOf<{ id: string; gateway_ref: string }>(cards)) if (declined.has(row.id)) await gateway.testControls.setCardBehavior(row.gateway_ref, "decline");
    const actions = await database.db.select({ id: scheduledActions.id }).from(scheduledActions).where(eq(scheduledActions.merchantId, merchantId));
    await runDueActions(testPlatform(database.db, { gateway, clock: fixedClock(jst("2027-03-01T00:05:00")) }), actions.map((a) => a.id));
    for (const id of subscriptionIds) {
      const next = await nextAction(id);
      expect(next).toEqual(declined.has(id) ? { kind: "retry", at: jst("2027-03-08T00:05:00") } : { kind: "renewal", at: jst("2027-04-01T00:00:00") });
    }
    await expectCountsRight({ merchantId });
  });
});

describe("a contract's card expiry month follows its card on file", () => {
  it("from sign-up, and when the card is replaced", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer } = await signedUpContract(m);
    const expiry = async () => (await database.db.select({ month: subscriptions.cardExpiryMonth }).from(subscriptions).where(eq(subscriptions.id, subscription.id)))[0]!.month;
    expect(await expiry()).toBe(203512);
    const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 3, expYear: 2028, cvc: "123" }, jst("2027-01-10T12:00:00"));
    const card = await addPaymentMethod(m.ctx(), { customerId: customer.id, token: token.id });
    await updateSubscriptionPaymentMethod(m.ctx(), { subscriptionId: subscription.id, paymentMethodId: card.id });
    expect(await expiry()).toBe(202803);
  });
});
