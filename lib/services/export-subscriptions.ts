import { z } from "zod";
import { CSV_ENCODINGS, csvStream } from "@/lib/csv/csv-download";
import { type CsvWords, subscriptionCsv } from "@/lib/csv/subscription-export";
import { csvFields, SUBSCRIPTION_COLUMNS } from "@/lib/console/subscription-columns";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { merchantTimeZone } from "./merchant-settings";
import { subscriptionFilters, subscriptionRowsMatching } from "./queries/subscription-search";

export const exportSubscriptionsInput = z.object({
  filters: subscriptionFilters,
  /** The table's visible columns, in any order (the CSV keeps the table's). */
  columns: z.array(z.enum(SUBSCRIPTION_COLUMNS)).min(1).max(SUBSCRIPTION_COLUMNS.length),
  encoding: z.enum(CSV_ENCODINGS),
});

/**
 * Every contract matching a search as a CSV stream (keyset batches of 1,000 rows: memory stays flat however many
 * match), with the visible columns and headers in the reader's words. Taking customers' data out in bulk is for
 * owners, admins and operators; each export is audited with its search, columns and encoding.
 */
export async function exportSubscriptions(ctx: ServiceContext, input: z.input<typeof exportSubscriptionsInput>, words: CsvWords): Promise<ReadableStream<Uint8Array>> {
  const data = parseInput(exportSubscriptionsInput, input);
  authorize(ctx.actor, "contracts.export");
  const timeZone = await merchantTimeZone(ctx.db, ctx.merchantId);
  await recordAudit(ctx.db, ctx, {
    action: "subscriptions.exported",
    targetType: "merchant",
    targetId: ctx.merchantId,
    data: { filters: data.filters, columns: data.columns, encoding: data.encoding },
    at: ctx.clock.now(),
  });
  const csv = subscriptionCsv(csvFields(data.columns), words, timeZone);
  async function* rows() {
    for await (const batch of subscriptionRowsMatching(ctx, data.filters)) yield batch.map(csv.row);
  }
  return csvStream(csv.header, rows(), data.encoding);
}
