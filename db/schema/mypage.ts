import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, merchantId } from "./columns";
import { customers } from "./customers";
import { merchants } from "./merchants";

/**
 * End users' mypage sessions, per merchant (a customer's email is unique per merchant, not globally). Only the
 * SHA-256 of the cookie's token is kept, so a copy of the table signs nobody in. Never the staff session.
 */
export const customerSessions = pgTable(
  "customer_sessions",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    merchantId: merchantId().references(() => merchants.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    expiresAt: at("expires_at").notNull(),
    createdAt: createdAt(),
    lastSeenAt: at("last_seen_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("customer_sessions_token_key").on(t.tokenHash), index("customer_sessions_customer_idx").on(t.merchantId, t.customerId)],
);

export type CustomerTokenPurpose = "sign_in" | "password_reset" | "email_change";

/**
 * Single-use tokens mailed to a customer: a sign-in link, a password reset, an email change's confirmation (which
 * carries the new address). Hashed like sessions; `usedAt` makes each good once.
 */
export const customerTokens = pgTable(
  "customer_tokens",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    merchantId: merchantId().references(() => merchants.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    purpose: text("purpose").$type<CustomerTokenPurpose>().notNull(),
    newEmail: text("new_email"),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("customer_tokens_token_key").on(t.tokenHash), index("customer_tokens_customer_idx").on(t.merchantId, t.customerId, t.purpose, t.createdAt)],
);
