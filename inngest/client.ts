import { eventType, Inngest } from "inngest";
import { z } from "zod";
import { ACTION_KINDS } from "@/lib/billing/scheduled-action";

/** The Inngest app of this product. Events below are the only ones its functions take. */
export const inngest = new Inngest({ id: "keizoku" });

/** A scheduled_actions row is pending at dueAt (sent with id `${actionId}:${dueAt}`, so a duplicate starts no run). */
export const actionScheduled = eventType("keizoku/action.scheduled", {
  schema: z.object({
    actionId: z.string(),
    merchantId: z.string(),
    subscriptionId: z.string().nullable(),
    invoiceId: z.string().nullable(),
    kind: z.enum(ACTION_KINDS),
    dueAt: z.iso.datetime(),
  }),
});

/** A pending action was called off: the run sleeping for it stops. */
export const actionCanceled = eventType("keizoku/action.canceled", {
  schema: z.object({
    actionId: z.string(),
    subscriptionId: z.string().nullable(),
    invoiceId: z.string().nullable(),
    reason: z.string(),
  }),
});

/** An overdue invoice was paid: its retries and dunning stop. */
export const invoicePaid = eventType("keizoku/invoice.paid", {
  schema: z.object({ invoiceId: z.string(), subscriptionId: z.string().nullable() }),
});

/** The contract ended (canceled, withdrawn) or was resumed: the flows of its old course stop. */
export const subscriptionEnded = eventType("keizoku/subscription.ended", {
  schema: z.object({ subscriptionId: z.string(), reason: z.string() }),
});

/** Asks the dispatcher to run now instead of at the next minute. */
export const dispatchRequested = eventType("keizoku/dispatch.requested", { schema: z.object({}) });

/** Mails were queued (or a staff member asked to send one again): delivery runs now instead of at the next minute. */
export const mailQueued = eventType("keizoku/mail.queued", { schema: z.object({}) });

export type ActionScheduledData = z.infer<typeof actionScheduled.schema>;
export type ActionCanceledData = z.infer<typeof actionCanceled.schema>;
