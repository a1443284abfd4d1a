import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt, merchantId } from "./columns";
import { merchants, testClocks } from "./merchants";

export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    phone: text("phone"),
    address: jsonb("address").$type<Record<string, string> | null>(),
    locale: text("locale").$type<"ja" | "en">().notNull().default("ja"),
    testClockId: text("test_clock_id").references(() => testClocks.id),
    defaultPaymentMethodId: text("default_payment_method_id"),
    passwordHash: text("password_hash"),
    createdAt: createdAt(),
  },
  (t) => [
    index("customers_merchant_idx").on(t.merchantId, t.id),
    index("customers_email_idx").on(t.merchantId, t.email),
    // The customers page lists the newest first.
    index("customers_created_idx").on(t.merchantId, t.createdAt, t.id),
    // The contracts workspace sorts by customer name, and finds customers by any part of their name or e-mail
    // address, Japanese included: the bigrams of both (customer_search_grams, defined in the migration 0005) in a
    // GIN index. pg_trgm cannot serve it: a two-character Japanese surname has no trigram.
    index("customers_name_idx").on(t.merchantId, t.name, t.id),
    index("customers_search_idx").using("gin", sql`customer_search_grams(${t.name}, ${t.email})`),
  ],
);

/** A card saved at the gateway. Only the gateway's token and display facts are kept, never a card number. */
export const paymentMethods = pgTable(
  "payment_methods",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    customerId: text("customer_id").notNull().references(() => customers.id),
    gateway: text("gateway").notNull(),
    gatewayRef: text("gateway_ref").notNull(),
    brand: text("brand").notNull(),
    last4: text("last4").notNull(),
    expMonth: integer("exp_month").notNull(),
    expYear: integer("exp_year").notNull(),
    status: text("status").$type<"active" | "detached">().notNull().default("active"),
    createdAt: createdAt(),
    detachedAt: at("detached_at"),
  },
  (t) => [index("payment_methods_customer_idx").on(t.customerId), index("payment_methods_expiry_idx").on(t.merchantId, t.expYear, t.expMonth)],
);
