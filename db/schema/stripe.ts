import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, merchantId } from "./columns";
import { merchants } from "./merchants";

/**
 * A merchant's own Stripe account. Each key is sealed (lib/crypto/secret-box.ts, never plaintext here) with its
 * last four characters beside it, so that the console can say which key is set without opening it. A key that is
 * not set is null; with no secret key the merchant uses the environment's account (STRIPE_SECRET_KEY) or the sandbox.
 */
export const stripeCredentials = pgTable("stripe_credentials", {
  merchantId: text("merchant_id")
    .primaryKey()
    .references(() => merchants.id),
  secretKey: text("secret_key"),
  secretKeyLast4: text("secret_key_last4"),
  publishableKey: text("publishable_key"),
  publishableKeyLast4: text("publishable_key_last4"),
  webhookSecret: text("webhook_secret"),
  webhookSecretLast4: text("webhook_secret_last4"),
  updatedAt: at("updated_at").notNull().defaultNow(),
});

/** Our customer's Customer at a Stripe account (the account's key fingerprint), made once by customers.ensure. */
export const stripeCustomers = pgTable(
  "stripe_customers",
  {
    merchantId: merchantId().references(() => merchants.id),
    /** No foreign key: a checkout sets the card up before its customer's row is written. */
    customerId: text("customer_id").notNull(),
    /** Which account: the SHA-256 prefix of its secret key, so that a merchant changing accounts gets new Customers. */
    account: text("account").notNull(),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("stripe_customers_key").on(t.customerId, t.account), index("stripe_customers_merchant_idx").on(t.merchantId)],
);
