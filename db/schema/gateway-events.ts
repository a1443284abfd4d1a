import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, merchantId, money } from "./columns";
import { invoices } from "./invoices";
import { merchants } from "./merchants";

/**
 * pending: stored, not yet processed, or to be processed again at next_attempt_at after an error; processed: its
 * change is recorded (or there was nothing left to record); ignored: not about anything of ours, or a type we do not
 * act on; failed: processing kept failing and stopped being retried, until staff process it again.
 */
export type GatewayEventStatus = "pending" | "processed" | "ignored" | "failed";

/**
 * A webhook event a gateway posted to us (Stripe's), verified and stored once by its id before it is answered:
 * processing happens afterwards, by the runner or Inngest, so the gateway never waits on our work and a repeated
 * delivery finds the row already there.
 */
export const gatewayEvents = pgTable(
  "gateway_events",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    gateway: text("gateway").notNull(),
    /** The gateway's own event id (evt_…): one row per event whatever the number of deliveries. */
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    /** The object the event is about (pi_…, ch_…, dp_…, seti_…, pm_…), for search. */
    objectId: text("object_id"),
    livemode: text("livemode").$type<"live" | "test">().notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** When the gateway made the event. */
    occurredAt: at("occurred_at").notNull(),
    receivedAt: at("received_at").notNull(),
    status: text("status").$type<GatewayEventStatus>().notNull().default("pending"),
    /** What processing found: `settled_paid`, `already_recorded`, `not_ours`, … (lib/services/process-gateway-events.ts). */
    outcome: text("outcome"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** Null: due at once. */
    nextAttemptAt: at("next_attempt_at"),
    leaseUntil: at("lease_until"),
    processedAt: at("processed_at"),
  },
  (t) => [
    uniqueIndex("gateway_events_event_key").on(t.merchantId, t.gateway, t.eventId),
    index("gateway_events_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index("gateway_events_merchant_idx").on(t.merchantId, t.receivedAt),
  ],
);

export type DisputeStatus = "needs_response" | "under_review" | "won" | "lost" | "warning_needs_response" | "warning_under_review" | "warning_closed" | "charge_refunded";

/** A chargeback the cardholder's bank opened against a paid invoice's charge (Stripe's Dispute). */
export const disputes = pgTable(
  "disputes",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id),
    subscriptionId: text("subscription_id").notNull(),
    gateway: text("gateway").notNull(),
    gatewayDisputeId: text("gateway_dispute_id").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    status: text("status").$type<DisputeStatus>().notNull(),
    /** The last day to answer the bank, when the gateway says. */
    evidenceDueBy: at("evidence_due_by"),
    openedAt: at("opened_at").notNull(),
    updatedAt: at("updated_at").notNull(),
  },
  (t) => [uniqueIndex("disputes_gateway_key").on(t.merchantId, t.gateway, t.gatewayDisputeId), index("disputes_invoice_idx").on(t.invoiceId)],
);
