import { and, asc, between, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { bulkUpdate, rowsOf } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { bulkJobItems, bulkJobs, type BulkJobItemStatus, staffUsers } from "@/db/schema";
import type { BulkAction } from "@/lib/billing/bulk-action";
import type { Actor } from "../context";

/**
 * The one owner of bulk_jobs and bulk_job_items: creating a job's items, the lease a worker holds on a job, the items
 * still to do, each item's result with the job's counters, and the job's end. Nothing else writes these tables.
 *
 * A worker claims a job by setting its lease; every batch then runs in one transaction that first locks the job's row
 * and checks that the lease is still the one it claimed (`holdLease`). So two workers never work a job's items at
 * once — a worker whose lease lapsed (it hung, another took over) finds its lease gone and its batch rolls back — and
 * an item's result commits with the effect on its contract, or neither does.
 */

export type BulkJobRow = typeof bulkJobs.$inferSelect;
export type BulkItemStatus = Exclude<BulkJobItemStatus, "pending">;
export type ItemResult = { subscriptionId: string; status: BulkItemStatus; reason: string | null; message: string | null };

/** A claimed job and the lease this worker holds on it (its lease_until, used as the worker's fencing token). */
export type Lease = { job: BulkJobRow; until: Date };

/** This worker's lease on the job is gone: another worker took the job over, or it finished. Nothing of the batch is kept. */
export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`The lease on bulk job ${jobId} was lost`);
    this.name = "LeaseLost";
  }
}

/** What a job does to each contract, from its stored params. */
export function bulkActionOf(job: Pick<BulkJobRow, "kind" | "params">): BulkAction {
  const params = job.params;
  if (job.kind === "retry") return { kind: "retry", params: { at: typeof params.at === "string" ? new Date(params.at) : null } };
  return { kind: "cancel", params: { atPeriodEnd: params.atPeriodEnd !== false, reason: typeof params.reason === "string" ? params.reason : null } };
}

/** The job's params as stored (JSON: the instant as ISO text). */
export function storedParams(action: BulkAction): Record<string, unknown> {
  return action.kind === "retry" ? { at: action.params.at?.toISOString() ?? null } : { atPeriodEnd: action.params.atPeriodEnd, reason: action.params.reason };
}

/**
 * Items for the merchant's contracts among these ids, numbered from `firstPosition` in the order given; ids that
 * are not the merchant's contracts, or given twice, are left out. Returns how many were added.
 */
export async function addItems(tx: Db, job: Pick<BulkJobRow, "id" | "merchantId">, subscriptionIds: readonly string[], firstPosition: number): Promise<number> {
  if (subscriptionIds.length === 0) return 0;
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with added as (
        insert into ${bulkJobItems} (job_id, subscription_id, position, status)
        select ${job.id}, s.id, ${firstPosition}::int + t.ord::int - 1, 'pending'
        from jsonb_array_elements_text(${JSON.stringify(subscriptionIds)}::jsonb) with ordinality as t(id, ord)
        join subscriptions s on s.id = t.id and s.merchant_id = ${job.merchantId}
        on conflict do nothing
        returning 1
      )
      select count(*)::int as n from added`),
  );
  return Number(row?.n ?? 0);
}

/** A new job's items: the failed ones of an earlier job, in their order. Returns how many. */
export async function addFailedItemsOf(tx: Db, job: Pick<BulkJobRow, "id">, earlierJobId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with added as (
        insert into ${bulkJobItems} (job_id, subscription_id, position, status)
        select ${job.id}, subscription_id, (row_number() over (order by position))::int - 1, 'pending'
        from ${bulkJobItems} where job_id = ${earlierJobId} and status = 'failed'
        returning 1
      )
      select count(*)::int as n from added`),
  );
  return Number(row?.n ?? 0);
}

/**
 * Takes a job nobody works on — this one, or the oldest running job whose lease is free or has lapsed (its worker
 * died) — for `leaseMs`. SKIP LOCKED: workers looking at once take different jobs.
 */
export async function claimBulkJob(db: Db, now: Date, leaseMs: number, jobId?: string): Promise<Lease | null> {
  const until = new Date(now.getTime() + leaseMs);
  const free = db
    .select({ id: bulkJobs.id })
    .from(bulkJobs)
    .where(and(eq(bulkJobs.status, "running"), or(isNull(bulkJobs.leaseUntil), lt(bulkJobs.leaseUntil, now)), jobId ? eq(bulkJobs.id, jobId) : undefined))
    .orderBy(asc(bulkJobs.createdAt))
    .limit(1)
    .for("update", { skipLocked: true });
  const [claimed] = await db.update(bulkJobs).set({ leaseUntil: until }).where(sql`${bulkJobs.id} = (${free})`).returning();
  return claimed ? { job: claimed, until } : null;
}

/**
 * Within a batch's transaction: locks the job's row (batches of one job run one after another) and checks that the
 * lease is still this worker's; otherwise LeaseLost, and the transaction rolls back.
 */
export async function holdLease(tx: Db, lease: Lease): Promise<void> {
  const [row] = await tx.select({ status: bulkJobs.status, leaseUntil: bulkJobs.leaseUntil }).from(bulkJobs).where(eq(bulkJobs.id, lease.job.id)).for("update");
  if (!row || row.status !== "running" || row.leaseUntil?.getTime() !== lease.until.getTime()) throw new LeaseLost(lease.job.id);
}

/**
 * Moves the lease on, in the transaction that holds it (a long job keeps its lease batch after batch). The caller
 * takes `until` as its lease once that transaction has committed.
 */
export async function renewLease(tx: Db, lease: Lease, until: Date): Promise<void> {
  await tx.update(bulkJobs).set({ leaseUntil: until }).where(eq(bulkJobs.id, lease.job.id));
}

/** Lets the job go: to anyone at once (null), or not before `until` (a job waiting for charges in flight). */
export async function releaseLease(db: Db, lease: Lease, until: Date | null): Promise<void> {
  await db
    .update(bulkJobs)
    .set({ leaseUntil: until })
    .where(and(eq(bulkJobs.id, lease.job.id), eq(bulkJobs.status, "running"), eq(bulkJobs.leaseUntil, lease.until)));
}

/** The next items still to do after `afterPosition`, in order (read without locks: the batch checks them again). */
export async function pendingItems(db: Db, jobId: string, afterPosition: number, limit: number): Promise<ItemRef[]> {
  return db
    .select({ subscriptionId: bulkJobItems.subscriptionId, position: bulkJobItems.position })
    .from(bulkJobItems)
    .where(and(eq(bulkJobItems.jobId, jobId), eq(bulkJobItems.status, "pending"), gt(bulkJobItems.position, afterPosition)))
    .orderBy(asc(bulkJobItems.position))
    .limit(limit);
}

export type ItemRef = { subscriptionId: string; position: number };

/**
 * Of a run of items (consecutive pending items as pendingItems read them), the contracts whose item is still to do,
 * in order — checked under holdLease, so that nobody else is at them. Read by position range: an item never becomes
 * pending again, so the range holds those items and no other pending ones.
 */
export async function stillPending(tx: Db, jobId: string, items: readonly ItemRef[]): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = await tx
    .select({ subscriptionId: bulkJobItems.subscriptionId })
    .from(bulkJobItems)
    .where(and(eq(bulkJobItems.jobId, jobId), eq(bulkJobItems.status, "pending"), between(bulkJobItems.position, items[0]!.position, items.at(-1)!.position)))
    .orderBy(asc(bulkJobItems.position));
  return rows.map((r) => r.subscriptionId);
}

/**
 * Records items' results and adds them to the job's counters, in the caller's transaction. Only items still pending
 * move (an item's result is written once), and only those count.
 */
export async function completeItems(tx: Db, jobId: string, results: readonly ItemResult[], at: Date): Promise<void> {
  if (results.length === 0) return;
  const rows = results.map((r) => ({ subscriptionId: r.subscriptionId, status: r.status, reason: r.reason, message: r.message?.slice(0, 1000) ?? null, completedAt: at }));
  const moved = new Set(
    await bulkUpdate(tx, bulkJobItems, rows, {
      key: "subscriptionId",
      columns: ["status", "reason", "message", "completedAt"],
      where: (t) => and(eq(t.jobId, jobId), eq(t.status, "pending")),
    }),
  );
  const count = (status: BulkItemStatus) => results.filter((r) => r.status === status && moved.has(r.subscriptionId)).length;
  await tx
    .update(bulkJobs)
    .set({ done: sql`${bulkJobs.done} + ${count("done")}`, skipped: sql`${bulkJobs.skipped} + ${count("skipped")}`, failed: sql`${bulkJobs.failed} + ${count("failed")}` })
    .where(eq(bulkJobs.id, jobId));
}

/**
 * Ends the job if no item is left to do (under holdLease): status done, the lease let go, and the counters taken
 * from the items themselves. Returns whether it ended.
 */
export async function finishIfComplete(tx: Db, jobId: string, at: Date): Promise<boolean> {
  const [left] = await tx.select({ one: sql<number>`1` }).from(bulkJobItems).where(and(eq(bulkJobItems.jobId, jobId), eq(bulkJobItems.status, "pending"))).limit(1);
  if (left) return false;
  const [tally] = await tx
    .select({
      done: sql<number>`count(*) filter (where ${bulkJobItems.status} = 'done')`,
      skipped: sql<number>`count(*) filter (where ${bulkJobItems.status} = 'skipped')`,
      failed: sql<number>`count(*) filter (where ${bulkJobItems.status} = 'failed')`,
    })
    .from(bulkJobItems)
    .where(eq(bulkJobItems.jobId, jobId));
  await tx
    .update(bulkJobs)
    .set({ status: "done", finishedAt: at, leaseUntil: null, done: Number(tally?.done ?? 0), skipped: Number(tally?.skipped ?? 0), failed: Number(tally?.failed ?? 0) })
    .where(eq(bulkJobs.id, jobId));
  return true;
}

/** Who a job's work is done as: the staff member who started it (audit lines name them), or the system. */
export async function jobActor(db: Db, job: Pick<BulkJobRow, "createdBy">): Promise<Actor> {
  if (!job.createdBy) return { type: "system", id: null };
  const [staff] = await db.select({ id: staffUsers.id, role: staffUsers.role }).from(staffUsers).where(eq(staffUsers.id, job.createdBy));
  return staff ? { type: "staff", id: staff.id, role: staff.role } : { type: "system", id: null };
}
