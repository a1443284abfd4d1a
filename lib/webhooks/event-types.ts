/** The events merchants' endpoints can subscribe to. */
export const EVENT_TYPES = [
  "subscription.created",
  "subscription.updated",
  "subscription.canceled",
  "subscription.paused",
  "subscription.resumed",
  "subscription.withdrawn",
  "invoice.paid",
  "invoice.payment_failed",
  "invoice.refunded",
  "invoice.disputed",
  "customer.created",
  "customer.updated",
  "mail.sent",
  "mail.bounced",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type EventObjectType = "subscription" | "invoice" | "customer" | "mail";

export function objectTypeOf(type: EventType): EventObjectType {
  return type.slice(0, type.indexOf(".")) as EventObjectType;
}

/**
 * Which event an audited change is, if any. Every change merchants hear about is audited in its own transaction, so
 * the audit trail is the one place events are taken from. A cancellation at period end only changes the contract
 * (it ends later, with `subscription.period_end_cancel`); un-pausing and undoing a cancellation both resume it.
 */
export function eventTypeOfAudit(action: string, data: Record<string, unknown> | undefined): EventType | null {
  switch (action) {
    case "subscription.created":
    case "subscription.paused":
    case "invoice.paid":
    case "invoice.payment_failed":
    case "invoice.refunded":
    case "invoice.disputed":
    case "customer.created":
      return action;
    case "subscription.canceled":
      return data?.atPeriodEnd === true ? "subscription.updated" : "subscription.canceled";
    case "subscription.period_end_cancel":
      return "subscription.canceled";
    case "subscription.resumed":
    case "subscription.unpaused":
      return "subscription.resumed";
    case "subscription.withdrawal":
      return "subscription.withdrawn";
    case "subscription.plan_changed":
    case "subscription.plan_change_withdrawn":
    case "subscription.payment_method_updated":
    case "subscription.replanned":
      return "subscription.updated";
    case "customer.profile_updated":
    case "customer.email_changed":
      return "customer.updated";
    default:
      return null;
  }
}

/** Whether an endpoint listening to `enabled` ("*" = everything) receives `type`. */
export function endpointWants(enabled: readonly string[], type: string): boolean {
  return enabled.includes("*") || enabled.includes(type);
}
