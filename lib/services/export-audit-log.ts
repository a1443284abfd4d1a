import { z } from "zod";
import { CSV_ENCODINGS, csvStream } from "@/lib/csv/csv-download";
import { localDateTimeOf } from "@/lib/billing/calendar";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { merchantTimeZone } from "./merchant-settings";
import type { AuditActor } from "./queries/audit-events";
import { auditLogBatches, auditLogFilters } from "./queries/audit-log";

export const exportAuditLogInput = z.object({ filters: auditLogFilters, encoding: z.enum(CSV_ENCODINGS) });

/** The CSV's words in the reader's language: its header row, an action's label, an actor's kind. */
export type AuditCsvWords = { header: readonly string[]; action: (code: string) => string; actorType: (type: AuditActor["type"]) => string };

const actorName = (actor: AuditActor) => ("name" in actor ? (actor.name ?? "") : "");

/**
 * The audit log rows a search matches as a CSV stream (keyset batches: memory stays flat), times in the merchant's
 * time zone. Owners and admins only; the export is itself audited with its search.
 */
export async function exportAuditLog(ctx: ServiceContext, input: z.input<typeof exportAuditLogInput>, words: AuditCsvWords): Promise<ReadableStream<Uint8Array>> {
  const data = parseInput(exportAuditLogInput, input);
  authorize(ctx.actor, "audit.read");
  const timeZone = await merchantTimeZone(ctx.db, ctx.merchantId);
  await recordAudit(ctx.db, ctx, { action: "audit_log.exported", targetType: "merchant", targetId: ctx.merchantId, data: { filters: data.filters, encoding: data.encoding }, at: ctx.clock.now() });
  async function* rows() {
    for await (const batch of auditLogBatches(ctx, data.filters)) {
      yield batch.map((e) => [
        localDateTimeOf(e.occurredAt, timeZone).replace("T", " "),
        words.actorType(e.actor.type),
        actorName(e.actor),
        e.actor.id,
        words.action(e.action),
        e.action,
        e.targetType,
        e.targetId,
        JSON.stringify(e.data),
      ]);
    }
  }
  return csvStream(words.header, rows(), data.encoding);
}
