import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, merchantId } from "./columns";
import { merchants } from "./merchants";

/**
 * What happened, as merchants' systems are told: one row per change, written in the transaction that made it, with
 * the object as the API shows it at that moment. Outgoing webhooks deliver these; `/api/v1/events` lists them.
 */
export const webhookEvents = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    type: text("type").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id").notNull(),
    /** The object's API representation when the event happened. */
    object: jsonb("object").$type<Record<string, unknown>>().notNull(),
    /** Set when the object lives on a test clock: the event is test data. */
    testClockId: text("test_clock_id"),
    createdAt: createdAt(),
  },
  (t) => [index("events_merchant_idx").on(t.merchantId, t.id), index("events_merchant_type_idx").on(t.merchantId, t.type, t.id)],
);

export type WebhookEndpointStatus = "enabled" | "disabled";

/** A merchant's URL that receives events: all of them (`enabled_events` = ["*"]) or the chosen types. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    enabledEvents: text("enabled_events").array().notNull(),
    /** `whsec_…`: signs every delivery; shown to the merchant once, when the endpoint is created. */
    secret: text("secret").notNull(),
    status: text("status").$type<WebhookEndpointStatus>().notNull().default("enabled"),
    /** Why it was disabled: by staff, or by us after three days of failed deliveries. */
    disabledReason: text("disabled_reason"),
    /** The first failure since the last success: three days of failures disable the endpoint. */
    failingSince: at("failing_since"),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_merchant_idx").on(t.merchantId, t.id)],
);

export type WebhookDeliveryStatus = "pending" | "delivered" | "failed";

/**
 * One event to one endpoint, delivered at least once: tried until a 2xx answer or three days after its first
 * attempt. A resend is a new delivery of the same event. `lease_until` is the worker's claim.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => webhookEvents.id),
    status: text("status").$type<WebhookDeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    resend: boolean("resend").notNull().default(false),
    firstAttemptAt: at("first_attempt_at"),
    /** Null: due at once. */
    nextAttemptAt: at("next_attempt_at"),
    leaseUntil: at("lease_until"),
    lastStatusCode: integer("last_status_code"),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    // An event's deliveries: its delivery log, and the retention purge (an event goes once its deliveries have).
    index("webhook_deliveries_event_idx").on(t.eventId),
  ],
);

/** Each request of a delivery, with what was sent and what came back (the console's delivery log). */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id").notNull(),
    eventId: text("event_id").notNull(),
    attemptNumber: integer("attempt_number").notNull(),
    url: text("url").notNull(),
    requestHeaders: jsonb("request_headers").$type<Record<string, string>>().notNull(),
    requestBody: text("request_body").notNull(),
    statusCode: integer("status_code"),
    /** The first 2 KB of the answer. */
    responseBody: text("response_body"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    at: at("at").notNull(),
  },
  (t) => [index("webhook_attempts_endpoint_idx").on(t.endpointId, t.id), index("webhook_attempts_delivery_idx").on(t.deliveryId, t.id)],
);
