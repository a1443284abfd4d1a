import { and, eq, sql } from "drizzle-orm";
import { inList } from "@/db/bulk-write";
import { customers, subscriptions } from "@/db/schema";
import { type BulkAction, bulkSkip, type BulkSkipReason } from "@/lib/billing/bulk-action";
import { actionKeys } from "@/lib/billing/scheduled-action";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import { authorize } from "./authorize";
import { bulkActionOfInput, bulkJobInput, type BulkJobInput } from "./bulk-job-input";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";
import { selectedContractIds } from "./internal/bulk-selection";
import { pendingActionKeys } from "./internal/scheduled-actions";

export type BulkPreview = {
  /** Contracts of the merchant in the selection (ids that are not are left out, as the job will). */
  total: number;
  /** Of those, how many the job will act on. */
  toAct: number;
  /** The others, by reason and status, most first. */
  skips: { reason: BulkSkipReason; status: SubscriptionStatus; count: number }[];
  /** The first few contracts of the selection, for the confirmation to name. */
  sample: { id: string; customerName: string; status: SubscriptionStatus }[];
};

const SAMPLE_SIZE = 5;

/**
 * What a bulk job would do, before it starts: the confirmation's count, sample and skips. Read without locks, with
 * the same skip rules the job applies to each contract under its lock (bulkSkip), so that the two agree unless a
 * contract changes in between.
 */
export async function previewBulkJob(ctx: ServiceContext, input: BulkJobInput): Promise<BulkPreview> {
  const data = parseInput(bulkJobInput, input);
  authorize(ctx.actor, "contracts.operate");
  const action = bulkActionOfInput(data, ctx.clock);
  let total = 0;
  const skips = new Map<string, BulkPreview["skips"][number]>();
  const sample: BulkPreview["sample"] = [];
  for await (const ids of selectedContractIds(ctx, data.selection)) {
    const facts = await selectionFacts(ctx, ids, action);
    total += facts.length;
    for (const row of facts) {
      const reason = bulkSkip(action, row);
      if (!reason) continue;
      const key = `${reason}:${row.status}`;
      const entry = skips.get(key) ?? { reason, status: row.status, count: 0 };
      entry.count++;
      skips.set(key, entry);
    }
    if (sample.length < SAMPLE_SIZE) sample.push(...facts.slice(0, SAMPLE_SIZE - sample.length).map(({ id, customerName, status }) => ({ id, customerName, status })));
  }
  const skipList = [...skips.values()].sort((a, b) => b.count - a.count);
  return { total, toAct: total - skipList.reduce((sum, s) => sum + s.count, 0), skips: skipList, sample };
}

/** Per contract of the batch that is the merchant's, in the batch's order: what bulkSkip needs, and the customer's name. */
async function selectionFacts(ctx: ServiceContext, ids: readonly string[], action: BulkAction) {
  // What owedInvoice finds, read without locking: the open overdue invoice, or an incomplete contract's open first invoice.
  const owedInvoiceId = sql<string | null>`coalesce(
    (select i.id from invoices i where i.id = ${subscriptions.overdueInvoiceId} and i.status = 'open' and ${subscriptions.status} in ('incomplete', 'past_due', 'unpaid')),
    (select f.id from invoices f where ${subscriptions.status} = 'incomplete' and ${subscriptions.overdueInvoiceId} is null
       and f.subscription_id = ${subscriptions.id} and f.kind = 'first' and f.status = 'open' limit 1))`;
  const rows = await ctx.db
    .select({ id: subscriptions.id, status: subscriptions.status, cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd, owedInvoiceId, customerName: customers.name })
    .from(subscriptions)
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .where(and(eq(subscriptions.merchantId, ctx.merchantId), inList(subscriptions.id, ids)));
  const at = action.kind === "retry" ? action.params.at : null;
  const planned = at ? await pendingActionKeys(ctx.db, ctx.merchantId, rows.flatMap((r) => (r.owedInvoiceId ? [actionKeys.manualRetry(r.owedInvoiceId, at)] : []))) : new Set<string>();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return [...new Set(ids)].flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const retryPlanned = at !== null && row.owedInvoiceId !== null && planned.has(actionKeys.manualRetry(row.owedInvoiceId, at));
    return [{ id, status: row.status, customerName: row.customerName, owes: row.owedInvoiceId !== null, cancelAtPeriodEnd: row.cancelAtPeriodEnd, retryPlanned }];
  });
}
