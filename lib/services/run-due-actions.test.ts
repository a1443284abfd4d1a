import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDueRenewals } from "@/test/fixtures/due-renewals";
import { auditEvents, invoiceLines, invoices, mails, paymentAttempts, paymentMethods, sandboxCharges, scheduledActions, subscriptions } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { createSandboxGateway } from "@/lib/gateways/sandbox";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { fixedClock } from "./context";
import { createSubscription } from "./create-subscription";
import { type BatchOutcome, runDueAction, runDueActions } from "./run-due-actions";
import { testPlatform } from "@/test/support/platform";
import { setTestCardBehavior } from "./set-test-card-behavior";
import { contractHistory, setupClockCustomer, setupTestMerchant } from "@/test/support/merchant";

/**
 * runDueActions opens a batch's charges in one transaction and settles them in one: these tests hold it to the
 * promises of runDueAction one action at a time (same rows, due order per contract, charged at most once) and to
 * its failure handling (one bad contract or one unanswered charge does not hold up the rest).
 */
let database: Database;
const dueAt = new Date("2027-03-01T00:00:00+09:00");
const runAt = fixedClock(new Date("2027-03-01T00:05:00+09:00"));

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function dueActionIds(merchantId: string): Promise<string[]> {
  const rows = await database.db
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(and(eq(scheduledActions.merchantId, merchantId), eq(scheduledActions.status, "pending"), eq(scheduledActions.dueAt, dueAt)))
    .orderBy(asc(scheduledActions.id));
  return rows.map((r) => r.id);
}

/** What a renewal left behind for one contract, without ids and instants that differ from run to run. */
async function renewalShape(subscriptionId: string) {
  const db = database.db;
  const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
  const invoiceRows = await db.select().from(invoices).where(eq(invoices.subscriptionId, subscriptionId));
  const invoiceIds = invoiceRows.map((i) => i.id);
  const lines = await db.select().from(invoiceLines).where(inArray(invoiceLines.invoiceId, invoiceIds));
  const attempts = await db.select().from(paymentAttempts).where(inArray(paymentAttempts.invoiceId, invoiceIds));
  const mailRows = await db.select().from(mails).where(eq(mails.subscriptionId, subscriptionId));
  const audits = await db.select().from(auditEvents).where(inArray(auditEvents.targetId, invoiceIds));
  const actions = await db.select().from(scheduledActions).where(eq(scheduledActions.subscriptionId, subscriptionId)).orderBy(asc(scheduledActions.dueAt));
  return {
    sub: { status: sub!.status, paidThrough: sub!.paidThrough, currentPeriodStart: sub!.currentPeriodStart, lastPaymentAt: sub!.lastPaymentAt, overdueInvoiceId: sub!.overdueInvoiceId },
    invoices: invoiceRows.map((i) => ({ kind: i.kind, status: i.status, subtotal: i.subtotal, tax: i.tax, total: i.total, periodStart: i.periodStart, periodEnd: i.periodEnd, attemptCount: i.attemptCount, paidAt: i.paidAt })),
    lines: lines.map((l) => ({ kind: l.kind, description: l.description, amount: l.amount, quantity: l.quantity, periodStart: l.periodStart, periodEnd: l.periodEnd })),
    attempts: attempts.map((a) => ({ number: a.attemptNumber, status: a.status, amount: a.amount, trigger: a.trigger, charged: a.gatewayChargeId !== null })),
    mails: mailRows.map((m) => ({ template: m.template, paidThrough: m.variables.paid_through, amount: m.variables.amount })),
    audits: audits.map((a) => ({ action: a.action, data: { ...a.data, subscription: a.data.subscription === subscriptionId } })),
    actions: actions.map((a) => ({ kind: a.kind, status: a.status, outcome: a.outcome, dueAt: a.dueAt })),
  };
}

/** The outcome, or the error's own words (drizzle puts the server's in `cause`). */
function outcomeOf(outcome: BatchOutcome): string {
  if (!("error" in outcome)) return outcome.outcome;
  const cause = outcome.error.cause instanceof Error ? outcome.error.cause.message : outcome.error.message;
  return `error: ${cause}`;
}

describe("runDueActions", () => {
  it("renews a batch with exactly the rows that running each action alone writes", async () => {
    const { merchantId, subscriptionIds } = await seedDueRenewals(database.db, { count: 12, dueAt, amount: 3300 });
    const gateway = createSandboxGateway(database.db);
    const ids = await dueActionIds(merchantId);
    const actionOf = new Map(
      (await database.db.select({ id: scheduledActions.id, sub: scheduledActions.subscriptionId }).from(scheduledActions).where(inArray(scheduledActions.id, ids))).map((a) => [a.sub!, a.id]),
    );
    const [alone, together] = [subscriptionIds.slice(0, 6), subscriptionIds.slice(6)];
    for (const sub of alone) expect((await runDueAction(testPlatform(database.db, { gateway: gateway, clock: runAt }), actionOf.get(sub)!)).outcome).toBe("paid");
    const outcomes = await runDueActions(testPlatform(database.db, { gateway: gateway, clock: runAt }), together.map((sub) => actionOf.get(sub)!));
    expect(outcomes.map(outcomeOf)).toEqual(together.map(() => "paid"));

    const reference = await renewalShape(alone[0]!);
    expect(reference.invoices).toHaveLength(1);
    expect(reference.invoices[0]).toMatchObject({ status: "paid", total: 3300, tax: 300, attemptCount: 1 });
    expect(reference.mails.map((m) => m.template)).toEqual(["charge_succeeded"]);
    expect(reference.actions.map((a) => [a.kind, a.status])).toEqual([
      ["renewal", "done"],
      ["renewal", "pending"],
    ]);
    for (const sub of [...alone, ...together]) expect(await renewalShape(sub)).toEqual(reference);

    // Running the batch again changes nothing: every action is done, every key charged once.
    const again = await runDueActions(testPlatform(database.db, { gateway: gateway, clock: runAt }), ids);
    expect(new Set(again.map(outcomeOf))).toEqual(new Set(["already_done"]));
    const charges = await database.db.select().from(sandboxCharges).where(inArray(sandboxCharges.cardRef, await cardRefsOf(subscriptionIds)));
    expect(charges).toHaveLength(12);
  });

  it("runs a contract's actions in one batch one after the other, in due order", async () => {
    const m = await setupTestMerchant(database);
    const start = new Date("2027-01-10T12:00:00+09:00");
    const setup = await setupClockCustomer(m, { start, plan: { amount: 2000, interval: "month", firstPeriod: "full" } });
    const subscription = await createSubscription(m.ctx(fixedClock(start)), { customerId: setup.customer.id, planId: setup.plan.id });
    await setTestCardBehavior(m.ctx(), { paymentMethodId: setup.paymentMethod.id, behavior: "decline" });
    // The renewal fails at the paid-through date and plans two retries (+7 d, +14 d).
    const [renewal] = await database.db.select().from(scheduledActions).where(and(eq(scheduledActions.subscriptionId, subscription.id), eq(scheduledActions.kind, "renewal")));
    await runDueAction(testPlatform(database.db, { gateway: m.gateway, clock: fixedClock(renewal!.dueAt) }), renewal!.id);
    const retries = await database.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.subscriptionId, subscription.id), eq(scheduledActions.kind, "retry"), eq(scheduledActions.status, "pending")))
      .orderBy(asc(scheduledActions.dueAt));
    expect(retries).toHaveLength(2);

    // Both retries in one batch (a runner that was down for two weeks): the second sees what the first did.
    const outcomes = await runDueActions(testPlatform(database.db, { gateway: m.gateway, clock: fixedClock(retries[1]!.dueAt) }), retries.map((r) => r.id));
    expect(outcomes.map(outcomeOf)).toEqual(["failed", "failed"]);
    const history = await contractHistory(database, subscription.id);
    expect(history.sub.status).toBe("unpaid");
    expect(history.attempts.map((a) => a.status)).toEqual(["succeeded", "failed", "failed", "failed"]);
    expect(history.mails.filter((mail) => mail.template === "charge_failed")).toHaveLength(3);
    expect(history.pending.map((a) => a.kind)).toContain("withdrawal");
  });

  it("settles the rest of a batch when one contract cannot be written, and that one later, charged once", async () => {
    const { merchantId, subscriptionIds } = await seedDueRenewals(database.db, { count: 8, dueAt });
    const gateway = createSandboxGateway(database.db);
    const broken = subscriptionIds[3]!;
    // A fault in one contract's settlement: its row refuses every update until the trigger goes.
    await database.query(`create or replace function refuse_${broken}() returns trigger language plpgsql as $$ begin raise exception 'contract is broken'; end $$`);
    await database.query(`create trigger refuse_${broken} before update on subscriptions for each row when (new.id = '${broken}') execute function refuse_${broken}()`);
    const ids = await dueActionIds(merchantId);
    const outcomes = await runDueActions(testPlatform(database.db, { gateway: gateway, clock: runAt }), ids);
    const brokenAction = (await database.db.select().from(scheduledActions).where(and(inArray(scheduledActions.id, ids), eq(scheduledActions.subscriptionId, broken))))[0]!;
    expect(outcomes.filter((o) => o.actionId !== brokenAction.id).map(outcomeOf)).toEqual(Array(7).fill("paid"));
    expect(outcomeOf(outcomes.find((o) => o.actionId === brokenAction.id)!)).toMatch(/contract is broken/);
    // Its charge was made and is in flight; the action waits for its next run.
    let history = await contractHistory(database, broken);
    expect(history.attempts.map((a) => a.status)).toEqual(["pending"]);
    expect(history.pending.map((a) => a.id)).toContain(brokenAction.id);

    await database.query(`drop trigger refuse_${broken} on subscriptions`);
    expect(await runDueAction(testPlatform(database.db, { gateway: gateway, clock: runAt }), brokenAction.id)).toMatchObject({ actionId: brokenAction.id, outcome: "paid" });
    history = await contractHistory(database, broken);
    expect(history.attempts.map((a) => a.status)).toEqual(["succeeded"]);
    expect(history.sub.status).toBe("active");
    expect(await database.db.select().from(sandboxCharges).where(inArray(sandboxCharges.cardRef, await cardRefsOf([broken])))).toHaveLength(1);
  });

  it("leaves only the unanswered charge in flight and replays it with its key", async () => {
    const { merchantId, subscriptionIds } = await seedDueRenewals(database.db, { count: 6, dueAt });
    const sandbox = createSandboxGateway(database.db);
    const [silentCard] = await cardRefsOf([subscriptionIds[2]!]);
    const flaky: PaymentGateway = {
      ...sandbox,
      charge: (request) => (request.cardRef === silentCard ? Promise.reject(new Error("gateway timed out")) : sandbox.charge(request)),
    };
    const ids = await dueActionIds(merchantId);
    const outcomes = await runDueActions(testPlatform(database.db, { gateway: flaky, clock: runAt }), ids);
    expect(outcomes.map(outcomeOf).sort()).toEqual(["error: gateway timed out", "paid", "paid", "paid", "paid", "paid"]);
    const silent = outcomes.find((o) => "error" in o)!;
    expect((await contractHistory(database, subscriptionIds[2]!)).attempts.map((a) => a.status)).toEqual(["pending"]);

    expect(await runDueAction(testPlatform(database.db, { gateway: sandbox, clock: runAt }), silent.actionId)).toMatchObject({ actionId: silent.actionId, outcome: "paid" });
    const history = await contractHistory(database, subscriptionIds[2]!);
    expect(history.attempts.map((a) => a.status)).toEqual(["succeeded"]);
    expect(history.invoices.map((i) => i.attemptCount)).toEqual([1]);
  });
});

async function cardRefsOf(subscriptionIds: readonly string[]): Promise<string[]> {
  const rows = await database.db
    .select({ ref: paymentMethods.gatewayRef })
    .from(subscriptions)
    .innerJoin(paymentMethods, eq(paymentMethods.id, subscriptions.paymentMethodId))
    .where(inArray(subscriptions.id, [...subscriptionIds]));
  return rows.map((r) => r.ref);
}
