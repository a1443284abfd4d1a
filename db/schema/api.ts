import { integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, createdAt, merchantId } from "./columns";
import { merchants } from "./merchants";

/**
 * Idempotency-Key records of the REST API: the first response to a key is kept for 24 h and replayed to
 * retries with the same body; a different body under the same key is refused.
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    merchantId: merchantId().references(() => merchants.id),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: text("status").$type<"in_progress" | "completed">().notNull(),
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: createdAt(),
    /** An in-progress record whose request died is taken over after this. */
    lockedUntil: at("locked_until"),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.key] })],
);
