import { and, asc, count, eq, gt, type SQL } from "drizzle-orm";
import { bulkJobItems, bulkJobs, type BulkJobItemStatus, customers, staffUsers, subscriptions } from "@/db/schema";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export type BulkJobView = typeof bulkJobs.$inferSelect & { createdByName: string | null };

const jobColumns = { job: bulkJobs, createdByName: staffUsers.name };

function view(row: { job: typeof bulkJobs.$inferSelect; createdByName: string | null }): BulkJobView {
  return { ...row.job, createdByName: row.createdByName };
}

/** The merchant's bulk jobs, newest first, with who started each. */
export async function listBulkJobs(ctx: ReadContext, request: PageRequest) {
  const page = pageConditions(bulkJobs.id, request);
  const rows = await ctx.db
    .select(jobColumns)
    .from(bulkJobs)
    .leftJoin(staffUsers, eq(staffUsers.id, bulkJobs.createdBy))
    .where(and(eq(bulkJobs.merchantId, ctx.merchantId), page.cursor))
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows.map(view), request);
}

/** One job of the merchant; another merchant's is not found. */
export async function getBulkJob(ctx: ReadContext, id: string): Promise<BulkJobView> {
  const [row] = await ctx.db
    .select(jobColumns)
    .from(bulkJobs)
    .leftJoin(staffUsers, eq(staffUsers.id, bulkJobs.createdBy))
    .where(and(eq(bulkJobs.id, id), eq(bulkJobs.merchantId, ctx.merchantId)));
  if (!row) throw notFound("bulk job", id, "id");
  return view(row);
}

export type BulkJobItemView = {
  subscriptionId: string;
  position: number;
  status: BulkJobItemStatus;
  reason: string | null;
  message: string | null;
  completedAt: Date | null;
  customerName: string;
  contractStatus: SubscriptionStatus;
};

const itemColumns = {
  subscriptionId: bulkJobItems.subscriptionId,
  position: bulkJobItems.position,
  status: bulkJobItems.status,
  reason: bulkJobItems.reason,
  message: bulkJobItems.message,
  completedAt: bulkJobItems.completedAt,
  customerName: customers.name,
  contractStatus: subscriptions.status,
};

function itemsOf(ctx: ReadContext, where: SQL | undefined) {
  return ctx.db
    .select(itemColumns)
    .from(bulkJobItems)
    .innerJoin(subscriptions, eq(subscriptions.id, bulkJobItems.subscriptionId))
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .where(where)
    .orderBy(asc(bulkJobItems.position));
}

/** A page of a job's rows in their order, optionally of one result, and how many rows that result has. */
export async function listBulkJobItems(ctx: ReadContext, jobId: string, request: { status?: BulkJobItemStatus | null; page: number; perPage: number }) {
  await getBulkJob(ctx, jobId);
  const where = and(eq(bulkJobItems.jobId, jobId), request.status ? eq(bulkJobItems.status, request.status) : undefined);
  const [rows, [total]] = await Promise.all([
    itemsOf(ctx, where)
      .limit(request.perPage)
      .offset((request.page - 1) * request.perPage),
    ctx.db.select({ n: count() }).from(bulkJobItems).where(where),
  ]);
  return { rows: rows as BulkJobItemView[], total: Number(total?.n ?? 0) };
}

/** Every row of a job in order, in batches (the result CSV: memory flat however many rows). */
export async function* bulkJobItemBatches(ctx: ReadContext, jobId: string, batchSize = 5_000): AsyncGenerator<BulkJobItemView[]> {
  await getBulkJob(ctx, jobId);
  let after = -1;
  for (;;) {
    const rows = (await itemsOf(ctx, and(eq(bulkJobItems.jobId, jobId), gt(bulkJobItems.position, after))).limit(batchSize)) as BulkJobItemView[];
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1)!.position;
  }
}
