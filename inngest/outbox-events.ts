import { type CancelReason, COURSE_ENDING_REASONS } from "@/lib/billing/scheduled-action";
import type { OutboxRow } from "@/lib/services/internal/scheduled-actions";
import type { ActionCanceledData, ActionScheduledData } from "./client";

export type OutboxEvent =
  | { name: "keizoku/action.scheduled"; id: string; data: ActionScheduledData }
  | { name: "keizoku/action.canceled"; data: ActionCanceledData }
  | { name: "keizoku/invoice.paid"; data: { invoiceId: string; subscriptionId: string | null } }
  | { name: "keizoku/subscription.ended"; data: { subscriptionId: string; reason: string } };


/** The event that starts the run for a pending action; its id makes a second send of the same plan a no-op. */
export function actionScheduledEvent(row: Pick<OutboxRow, "id" | "merchantId" | "subscriptionId" | "invoiceId" | "kind" | "dueAt">): OutboxEvent {
  return {
    name: "keizoku/action.scheduled",
    id: `${row.id}:${row.dueAt}`,
    data: { actionId: row.id, merchantId: row.merchantId, subscriptionId: row.subscriptionId, invoiceId: row.invoiceId, kind: row.kind, dueAt: row.dueAt },
  };
}

/**
 * What Inngest needs to hear about a batch of changed rows. Test-clock rows send nothing: their clock runs them.
 * An invoice paid or a contract ended is said once per batch, next to each action's own cancel event.
 */
export function outboxEvents(rows: readonly OutboxRow[]): OutboxEvent[] {
  const events: OutboxEvent[] = [];
  const said = new Set<string>();
  const once = (key: string, event: OutboxEvent) => {
    if (said.has(key)) return;
    said.add(key);
    events.push(event);
  };
  for (const row of rows) {
    if (row.testClockId) continue;
    if (row.status === "pending") {
      events.push(actionScheduledEvent(row));
      continue;
    }
    const reason = (row.outcome ?? "canceled") as CancelReason;
    events.push({ name: "keizoku/action.canceled", data: { actionId: row.id, subscriptionId: row.subscriptionId, invoiceId: row.invoiceId, reason } });
    if (reason === "paid" && row.invoiceId) {
      once(`paid:${row.invoiceId}`, { name: "keizoku/invoice.paid", data: { invoiceId: row.invoiceId, subscriptionId: row.subscriptionId } });
    }
    if (COURSE_ENDING_REASONS.has(reason) && row.subscriptionId) {
      once(`ended:${row.subscriptionId}`, { name: "keizoku/subscription.ended", data: { subscriptionId: row.subscriptionId, reason } });
    }
  }
  return events;
}
