import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, customers, bulkJobItems, bulkJobs, invoices, paymentAttempts, scheduledActions, subscriptions } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import { openIsolatedTestDatabase } from "@/test/support/inngest";
import { jst, rejection, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { addPaymentMethod } from "./add-payment-method";
import { cancelSubscription } from "./cancel-subscription";
import { type Clock, fixedClock, type Platform } from "./context";
import { staffContext } from "./contexts";
import { createCustomer } from "./create-customer";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createStaffUser } from "./create-staff-user";
import { createSubscription } from "./create-subscription";
import { claimBulkJob, holdLease, LeaseLost } from "./internal/bulk-jobs";
import { previewBulkJob } from "./preview-bulk-job";
import { getBulkJob, listBulkJobItems, listBulkJobs } from "./queries/bulk-jobs";
import { retryFailedBulkItems } from "./retry-failed-bulk-items";
import { retryPayment } from "./retry-payment";
import { type BulkRunOptions, runBulkJobs, workBulkJob } from "./run-bulk-jobs";
import { runActionsInDueOrder } from "./run-due-actions";
import { startBulkJob } from "./start-bulk-job";

const START = jst("2027-01-10T12:00:00");
const RENEWAL = jst("2027-02-10T00:00:00");
/** When the merchant works on the contracts: a day after the declined renewals. */
const NOW = jst("2027-02-11T10:00:00");
const RETRY_AT = jst("2027-02-15T09:00:00");
const RUN: BulkRunOptions = { batchSize: 4, leaseSeconds: 60, chargeConcurrency: 4 };

// The runner takes any merchant's jobs: this file's database is its own (on PostgreSQL, files share one otherwise).
let database: Database;
beforeAll(async () => {
  database = await openIsolatedTestDatabase();
});
afterAll(async () => database.close());

/**
 * A merchant with `overdue` contracts whose renewal was declined on 2027-02-10 (past due, a retry planned for the
 * 17th) and `active` ones that paid it, all on the real timeline (no test clock), customers named 顧客 1, 顧客 2, ….
 */
async function contracts(options: { overdue: number; active: number }) {
  const m = await setupTestMerchant(database, { now: START });
  const ctx = m.ctx(fixedClock(START));
  const product = await createProduct(ctx, { name: "定期便" });
  const plan = await createPlan(ctx, { amount: 1500, interval: "month", productId: product.id });
  const overdue: { id: string; card: string }[] = [];
  const active: { id: string; card: string }[] = [];
  for (let i = 0; i < options.overdue + options.active; i++) {
    const customer = await createCustomer(ctx, { email: `c${i}@example.jp`, name: `顧客 ${i + 1}` });
    const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, START);
    const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
    const sub = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    if (i < options.overdue) {
      await m.gateway.testControls.setCardBehavior(card.gatewayRef, "insufficient_funds");
      overdue.push({ id: sub.id, card: card.gatewayRef });
    } else active.push({ id: sub.id, card: card.gatewayRef });
  }
  await runActionsInDueOrder(m.ctx(fixedClock(RENEWAL)), { merchantId: m.merchantId, testClockId: null }, RENEWAL);
  const staff = async (role: StaffRole, clock: Clock = fixedClock(NOW)) => {
    const { staffUserId } = await createStaffUser(m.ctx(), { email: `${role}-${m.merchantId}@staff.test`, name: `${role} 担当`, password: "password-1234", role });
    return staffContext(platform(m, clock), { merchantId: m.merchantId, staffUserId, role });
  };
  return { m, overdue, active, staff };
}

function platform(m: TestMerchant, clock: Clock = fixedClock(NOW)): Platform {
  return testPlatform(database.db, { clock, gateway: m.gateway });
}

async function manualRetries(subscriptionIds: readonly string[]) {
  return database.db
    .select()
    .from(scheduledActions)
    .where(and(inArray(scheduledActions.subscriptionId, [...subscriptionIds]), eq(scheduledActions.kind, "retry"), sql`${scheduledActions.payload}->>'manual' = 'true'`))
    .orderBy(asc(scheduledActions.subscriptionId));
}

async function itemsOf(jobId: string) {
  return database.db.select().from(bulkJobItems).where(eq(bulkJobItems.jobId, jobId)).orderBy(asc(bulkJobItems.position));
}

async function jobRow(jobId: string) {
  const [job] = await database.db.select().from(bulkJobs).where(eq(bulkJobs.id, jobId));
  return job!;
}

/** The counters agree with the items, and add up to the total once the job is done. */
async function expectCountersMatchItems(jobId: string) {
  const job = await jobRow(jobId);
  const items = await itemsOf(jobId);
  const count = (status: string) => items.filter((i) => i.status === status).length;
  expect({ done: job.done, skipped: job.skipped, failed: job.failed, total: job.total }).toEqual({ done: count("done"), skipped: count("skipped"), failed: count("failed"), total: items.length });
}

/** How many charges the sandbox took for these contracts' invoices. */
async function charges(subscriptionIds: readonly string[]) {
  const rows = await database.db
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId))
    .where(inArray(invoices.subscriptionId, [...subscriptionIds]));
  return rows.length;
}

const ids = (list: readonly { id: string }[]) => list.map((c) => c.id);

describe("preview", () => {
  it("counts the selection, names a sample of five with their customers, and says what will be skipped and why", async () => {
    const { overdue, active, staff } = await contracts({ overdue: 6, active: 2 });
    const operator = await staff("operator");
    const selection = { type: "ids" as const, ids: [...ids(active), ...ids(overdue), "sub_of_nobody"] };
    const retry = await previewBulkJob(operator, { kind: "retry", params: { at: RETRY_AT }, selection });
    expect(retry).toMatchObject({ total: 8, toAct: 6, skips: [{ reason: "nothing_owed", status: "active", count: 2 }] });
    expect(retry.sample.map((s) => [s.customerName, s.status])).toEqual([
      ["顧客 7", "active"],
      ["顧客 8", "active"],
      ["顧客 1", "past_due"],
      ["顧客 2", "past_due"],
      ["顧客 3", "past_due"],
    ]);
    // A retry already planned at that very time is named as such.
    await retryPayment(operator, { subscriptionId: overdue[0]!.id, at: RETRY_AT });
    expect((await previewBulkJob(operator, { kind: "retry", params: { at: RETRY_AT }, selection })).skips).toEqual([
      { reason: "nothing_owed", status: "active", count: 2 },
      { reason: "already_scheduled", status: "past_due", count: 1 },
    ]);
    await cancelSubscription(operator, { subscriptionId: active[0]!.id, atPeriodEnd: false });
    const cancel = await previewBulkJob(operator, { kind: "cancel", params: { atPeriodEnd: true, reason: "整理" }, selection });
    expect(cancel).toMatchObject({ total: 8, toAct: 7, skips: [{ reason: "already_ended", status: "canceled", count: 1 }] });
  });

  it("refuses a retry time that has passed or lies more than a year ahead, and an empty selection", async () => {
    const { overdue, staff } = await contracts({ overdue: 1, active: 0 });
    const operator = await staff("operator");
    const selection = { type: "ids" as const, ids: ids(overdue) };
    expect((await rejection(previewBulkJob(operator, { kind: "retry", params: { at: jst("2027-02-11T09:00:00") }, selection }))).details).toMatchObject({ param: "params.at", reason: "retry_time_passed" });
    expect((await rejection(startBulkJob(operator, { kind: "retry", params: { at: jst("2028-03-01T09:00:00") }, selection }))).details.reason).toBe("retry_time_too_far");
    expect((await rejection(startBulkJob(operator, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: [] } }))).details.param).toBe("selection.ids");
    expect((await rejection(startBulkJob(operator, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: ["sub_of_nobody"] } }))).details.reason).toBe("nothing_selected");
  });
});

describe("a bulk retry on a chosen date", () => {
  it("plans one manual retry at that time for each contract that owes, skips the others, and is audited", async () => {
    const { m, overdue, active, staff } = await contracts({ overdue: 9, active: 2 });
    const operator = await staff("operator");
    const job = await startBulkJob(operator, { kind: "retry", params: { at: RETRY_AT }, selection: { type: "ids", ids: [...ids(overdue), ...ids(active)] } });
    expect(job).toMatchObject({ kind: "retry", status: "running", total: 11, done: 0, params: { at: RETRY_AT.toISOString() }, selection: { type: "ids", count: 11 } });
    const [audit] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, job.id), eq(auditEvents.action, "bulk_job.started")));
    expect(audit).toMatchObject({ actorType: "staff", actorId: operator.actor.id, data: { kind: "retry", total: 11 } });

    expect(await runBulkJobs(platform(m), RUN)).toBe(11);
    expect(await jobRow(job.id)).toMatchObject({ status: "done", done: 9, skipped: 2, failed: 0, leaseUntil: null, finishedAt: NOW });
    await expectCountersMatchItems(job.id);
    const items = await itemsOf(job.id);
    expect(items.map((i) => [i.subscriptionId, i.status, i.reason, i.message])).toEqual([
      ...ids(overdue).map((id) => [id, "done", null, null]),
      ...ids(active).map((id) => [id, "skipped", "nothing_owed", "active"]),
    ]);
    const retries = await manualRetries(ids(overdue));
    expect(retries.map((r) => [r.subscriptionId, r.dueAt, r.status, r.payload])).toEqual(ids(overdue).sort().map((id) => [id, RETRY_AT, "pending", { manual: true, bulkJob: job.id }]));
    // Each audited as the staff member who started the job.
    const scheduled = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "subscription.retry_scheduled")));
    expect(scheduled.map((a) => a.actorId)).toEqual(Array(9).fill(operator.actor.id));

    // Nothing is left to do: running again changes nothing; the same job again skips every one as already planned.
    expect(await runBulkJobs(platform(m), RUN)).toBe(0);
    const again = await startBulkJob(operator, { kind: "retry", params: { at: RETRY_AT }, selection: { type: "ids", ids: ids(overdue) } });
    await runBulkJobs(platform(m), RUN);
    expect(await jobRow(again.id)).toMatchObject({ status: "done", done: 0, skipped: 9 });
    expect(new Set((await itemsOf(again.id)).map((i) => i.reason))).toEqual(new Set(["already_scheduled"]));
    expect(await manualRetries(ids(overdue))).toHaveLength(9);

    // When the day comes, the runner charges them like any manual retry.
    await m.gateway.testControls.setCardBehavior(overdue[0]!.card, "succeed");
    await runActionsInDueOrder(m.ctx(fixedClock(RETRY_AT)), { merchantId: m.merchantId, testClockId: null }, RETRY_AT);
    const [paid] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, overdue[0]!.id));
    expect(paid!.status).toBe("active");
  });

  it("takes a search's matches at the moment the job starts", async () => {
    const { m, overdue, active, staff } = await contracts({ overdue: 3, active: 2 });
    const operator = await staff("operator");
    const job = await startBulkJob(operator, { kind: "retry", params: { at: RETRY_AT }, selection: { type: "search", filters: { status: ["past_due"] }, count: 3 } });
    expect(job.total).toBe(3);
    // A contract that falls past due after the start is not part of the job.
    await m.gateway.testControls.setCardBehavior(active[0]!.card, "insufficient_funds");
    await runBulkJobs(platform(m), RUN);
    expect((await itemsOf(job.id)).map((i) => i.subscriptionId).sort()).toEqual(ids(overdue).sort());
    expect(job.selection).toEqual({ type: "search", filters: expect.objectContaining({ status: ["past_due"] }), count: 3 });
    // Any filter of the workspace: a search by the customer's name takes that contract alone.
    const [first] = await database.db.select({ name: customers.name }).from(subscriptions).innerJoin(customers, eq(customers.id, subscriptions.customerId)).where(eq(subscriptions.id, overdue[0]!.id));
    const byName = await startBulkJob(operator, { kind: "cancel", params: { atPeriodEnd: true }, selection: { type: "search", filters: { status: [], q: first!.name }, count: 1 } });
    expect((await itemsOf(byName.id)).map((i) => i.subscriptionId)).toEqual([overdue[0]!.id]);
    expect((await rejection(startBulkJob(operator, { kind: "retry", params: { at: RETRY_AT }, selection: { type: "search", filters: { status: ["nope"] }, count: 1 } as never }))).code).toBe("invalid");
  });
});

describe("a bulk retry now", () => {
  it("charges each contract once through the runner's batch path: paid rows done, declined rows failed with the code", async () => {
    const { m, overdue, active, staff } = await contracts({ overdue: 6, active: 1 });
    const operator = await staff("operator");
    for (const c of overdue.slice(0, 4)) await m.gateway.testControls.setCardBehavior(c.card, "succeed");
    const before = await charges(ids(overdue));
    const job = await startBulkJob(operator, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: [...ids(overdue), ...ids(active)] } });
    await runBulkJobs(platform(m), RUN);
    expect(await jobRow(job.id)).toMatchObject({ status: "done", done: 4, failed: 2, skipped: 1 });
    await expectCountersMatchItems(job.id);
    const items = await itemsOf(job.id);
    expect(items.map((i) => [i.status, i.reason, i.message])).toEqual([
      ...Array(4).fill(["done", null, "paid"]),
      ...Array(2).fill(["failed", "payment_declined", "insufficient_funds"]),
      ["skipped", "nothing_owed", "active"],
    ]);
    expect(await charges(ids(overdue))).toBe(before + 6);
    const statuses = await database.db.select({ id: subscriptions.id, status: subscriptions.status }).from(subscriptions).where(inArray(subscriptions.id, ids(overdue)));
    expect(statuses.filter((s) => s.status === "active")).toHaveLength(4);

    // The failed rows again, once the cards are fixed: a new job over exactly those two.
    await expect(retryFailedBulkItems(operator, { jobId: job.id })).resolves.toBeTruthy();
    const [retryJob] = await database.db.select().from(bulkJobs).where(eq(bulkJobs.retryOf, job.id));
    expect(retryJob).toMatchObject({ kind: "retry", total: 2, params: { at: null }, selection: { type: "retry_of", jobId: job.id } });
    for (const c of overdue.slice(4)) await m.gateway.testControls.setCardBehavior(c.card, "succeed");
    await runBulkJobs(platform(m, fixedClock(new Date(NOW.getTime() + 60_000))), RUN);
    expect(await jobRow(retryJob!.id)).toMatchObject({ status: "done", done: 2, failed: 0 });
    expect((await itemsOf(retryJob!.id)).map((i) => i.subscriptionId)).toEqual(ids(overdue.slice(4)));
    expect(await charges(ids(overdue))).toBe(before + 8);
  });
});

describe("a bulk cancel", () => {
  it("cancels now (writing off what is owed) or at period end with the reason, and skips what already ended or is ending", async () => {
    const { m, overdue, active, staff } = await contracts({ overdue: 2, active: 3 });
    const admin = await staff("admin");
    await cancelSubscription(admin, { subscriptionId: active[0]!.id, atPeriodEnd: false });
    await cancelSubscription(admin, { subscriptionId: active[1]!.id, atPeriodEnd: true });
    const job = await startBulkJob(admin, { kind: "cancel", params: { atPeriodEnd: true, reason: "長期未払いの整理" }, selection: { type: "ids", ids: [...ids(overdue), ...ids(active)] } });
    await runBulkJobs(platform(m), RUN);
    expect(await jobRow(job.id)).toMatchObject({ status: "done", done: 3, skipped: 2, failed: 0 });
    expect((await itemsOf(job.id)).map((i) => [i.status, i.reason])).toEqual([
      ["done", null],
      ["done", null],
      ["skipped", "already_ended"],
      ["skipped", "already_canceling"],
      ["done", null],
    ]);
    const rows = await database.db.select().from(subscriptions).where(inArray(subscriptions.id, [...ids(overdue), active[2]!.id]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    // Overdue contracts end now whatever was asked (decideCancel), their invoice written off; the active one waits.
    for (const c of overdue) expect(byId.get(c.id)).toMatchObject({ status: "canceled", cancelReason: "長期未払いの整理", endedAt: NOW });
    expect(byId.get(active[2]!.id)).toMatchObject({ status: "active", cancelAtPeriodEnd: true, cancelReason: "長期未払いの整理" });
    const owed = await database.db.select().from(invoices).where(and(inArray(invoices.subscriptionId, ids(overdue)), eq(invoices.kind, "renewal")));
    expect(owed.map((i) => i.status)).toEqual(["uncollectible", "uncollectible"]);
    await expect(rejection(retryFailedBulkItems(admin, { jobId: job.id }))).resolves.toMatchObject({ details: { reason: "nothing_failed" } });
  });
});

describe("a job killed in the middle", () => {
  /** The platform of a process that dies when its `killAt`-th transaction is about to commit (that one rolls back). */
  function dyingPlatform(m: TestMerchant, killAt: number, clock: Clock = fixedClock(NOW)): Platform {
    const base = platform(m, clock);
    let transactions = 0;
    const db = new Proxy(base.db, {
      get(target, prop, receiver) {
        if (prop !== "transaction") return Reflect.get(target, prop, receiver);
        return async (run: (tx: Platform["db"]) => Promise<unknown>) =>
          target.transaction(async (tx) => {
            const result = await run(tx);
            if (++transactions >= killAt) throw new Error("killed");
            return result;
          });
      },
    });
    return { ...base, db };
  }

  it("resumes after its lease lapses, and no contract is done twice (a dated retry: effect and result commit together)", async () => {
    const { m, overdue, staff } = await contracts({ overdue: 10, active: 0 });
    const operator = await staff("operator");
    const job = await startBulkJob(operator, { kind: "retry", params: { at: RETRY_AT }, selection: { type: "ids", ids: ids(overdue) } });
    // Two batches of 4 commit; the process dies inside the third, after its retries were written but before commit.
    await expect(runBulkJobs(dyingPlatform(m, 3), RUN)).rejects.toThrow("killed");
    let items = await itemsOf(job.id);
    expect(items.filter((i) => i.status === "done")).toHaveLength(8);
    expect(await manualRetries(ids(overdue))).toHaveLength(8);
    await expectCountersMatchItems(job.id);
    const held = await jobRow(job.id);
    expect(held).toMatchObject({ status: "running", done: 8 });
    expect(held.leaseUntil).not.toBeNull();

    // Another process: nothing to take while the dead one's lease runs; after it lapses, the rest.
    expect(await runBulkJobs(platform(m, fixedClock(new Date(NOW.getTime() + 30_000))), RUN)).toBe(0);
    const later = new Date(held.leaseUntil!.getTime() + 1);
    expect(await runBulkJobs(platform(m, fixedClock(later)), RUN)).toBe(2);
    items = await itemsOf(job.id);
    expect(items.map((i) => i.status)).toEqual(Array(10).fill("done"));
    const retries = await manualRetries(ids(overdue));
    expect(retries.map((r) => r.subscriptionId).sort()).toEqual(ids(overdue).sort());
    expect(retries.every((r) => r.dueAt.getTime() === RETRY_AT.getTime())).toBe(true);
    expect(await jobRow(job.id)).toMatchObject({ status: "done", done: 10, skipped: 0, failed: 0 });
    await expectCountersMatchItems(job.id);
    const audits = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "subscription.retry_scheduled")));
    expect(audits).toHaveLength(10);
  });

  it("a retry now killed between planning its charges and settling them charges each contract once", async () => {
    const { m, overdue, staff } = await contracts({ overdue: 5, active: 0 });
    for (const c of overdue) await m.gateway.testControls.setCardBehavior(c.card, "succeed");
    const operator = await staff("operator");
    const before = await charges(ids(overdue));
    const job = await startBulkJob(operator, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: ids(overdue) } });
    // The first transaction plans the first batch's 4 retries and commits; the process dies as the charges open.
    await expect(workBulkJob(dyingPlatform(m, 2), RUN)).rejects.toThrow("killed");
    expect(await manualRetries(ids(overdue))).toHaveLength(4);
    expect(await charges(ids(overdue))).toBe(before);
    const held = await jobRow(job.id);
    expect(held.done).toBe(0);

    await runBulkJobs(platform(m, fixedClock(new Date(held.leaseUntil!.getTime() + 1))), RUN);
    expect(await jobRow(job.id)).toMatchObject({ status: "done", done: 5, failed: 0 });
    await expectCountersMatchItems(job.id);
    expect(await manualRetries(ids(overdue))).toHaveLength(5);
    expect(await charges(ids(overdue))).toBe(before + 5);
  });

  it("a worker whose lease lapsed and was taken over cannot commit another batch", async () => {
    const { m, overdue, staff } = await contracts({ overdue: 2, active: 0 });
    const job = await startBulkJob(await staff("operator"), { kind: "cancel", params: { atPeriodEnd: false, reason: null }, selection: { type: "ids", ids: ids(overdue) } });
    const stale = (await claimBulkJob(database.db, NOW, 60_000, job.id))!;
    expect(await claimBulkJob(database.db, new Date(NOW.getTime() + 30_000), 60_000, job.id)).toBeNull();
    const fresh = await claimBulkJob(database.db, new Date(NOW.getTime() + 61_000), 60_000, job.id);
    expect(fresh).not.toBeNull();
    await expect(database.db.transaction((tx) => holdLease(tx, stale))).rejects.toBeInstanceOf(LeaseLost);
    await expect(database.db.transaction((tx) => holdLease(tx, fresh!))).resolves.toBeUndefined();
    void m;
  });
});

describe("authorization and reads", () => {
  it("viewers may not preview, start or retry jobs; jobs of another merchant are not found", async () => {
    const { m, overdue, staff } = await contracts({ overdue: 2, active: 0 });
    const viewer = await staff("viewer");
    const operator = await staff("operator");
    const input = { kind: "retry" as const, params: { at: RETRY_AT }, selection: { type: "ids" as const, ids: ids(overdue) } };
    expect((await rejection(previewBulkJob(viewer, input))).code).toBe("forbidden");
    expect((await rejection(startBulkJob(viewer, input))).code).toBe("forbidden");
    const job = await startBulkJob(operator, input);
    await runBulkJobs(platform(m), RUN);
    expect((await rejection(retryFailedBulkItems(viewer, { jobId: job.id }))).code).toBe("forbidden");
    // Viewers read.
    expect((await listBulkJobs(viewer, { limit: 10 })).rows.map((j) => [j.id, j.createdByName])).toEqual([[job.id, "operator 担当"]]);
    expect(await listBulkJobItems(viewer, job.id, { status: "done", page: 1, perPage: 1 })).toMatchObject({ total: 2, rows: [{ customerName: "顧客 1", contractStatus: "past_due" }] });

    const other = await contracts({ overdue: 1, active: 0 });
    const stranger = await other.staff("owner");
    expect((await rejection(getBulkJob(stranger, job.id))).code).toBe("not_found");
    expect((await rejection(retryFailedBulkItems(stranger, { jobId: job.id }))).code).toBe("not_found");
    // Another merchant's contract ids are not taken into a job.
    expect((await rejection(startBulkJob(stranger, input))).details.reason).toBe("nothing_selected");
  });
});
