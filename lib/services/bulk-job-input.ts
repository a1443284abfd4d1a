import { z } from "zod";
import type { BulkAction } from "@/lib/billing/bulk-action";
import { MANUAL_RETRY_HORIZON_MS } from "@/lib/billing/decisions/manual-retry";
import type { Clock } from "./context";
import { invalid } from "./errors";
import { bulkSelection } from "./queries/subscription-search";

/**
 * What a bulk job is asked to do, to which contracts: a manual retry now (at: null) or at a chosen instant, or a
 * cancel now or at each contract's paid-through date with a reason. The preview and the start take the same input.
 */
export const bulkJobInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("retry"), params: z.object({ at: z.coerce.date().nullish() }), selection: bulkSelection }),
  z.object({
    kind: z.literal("cancel"),
    params: z.object({ atPeriodEnd: z.boolean().default(true), reason: z.string().trim().max(1000).nullish() }),
    selection: bulkSelection,
  }),
]);
export type BulkJobInput = z.input<typeof bulkJobInput>;

/** The action of a parsed input; a retry's time must lie ahead, within the year a manual retry may be planned. */
export function bulkActionOfInput(data: z.infer<typeof bulkJobInput>, clock: Clock): BulkAction {
  if (data.kind === "cancel") return { kind: "cancel", params: { atPeriodEnd: data.params.atPeriodEnd, reason: data.params.reason || null } };
  const at = data.params.at ?? null;
  const now = clock.now().getTime();
  if (at && at.getTime() <= now) throw invalid("The retry time has already passed", "params.at", "retry_time_passed");
  if (at && at.getTime() - now > MANUAL_RETRY_HORIZON_MS) throw invalid("A retry can be planned at most a year ahead", "params.at", "retry_time_too_far");
  return { kind: "retry", params: { at } };
}
