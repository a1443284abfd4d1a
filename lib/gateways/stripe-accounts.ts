import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { stripeCredentials } from "@/db/schema";
import type { SecretBox } from "@/lib/crypto/secret-box";

/** The three keys of a merchant's Stripe account, their columns, and what each looks like (Stripe's own prefixes). */
export const STRIPE_CREDENTIALS = {
  secretKey: { column: "secretKey", last4: "secretKeyLast4", pattern: /^(sk|rk)_(test|live)_[0-9A-Za-z]{8,}$/, hint: "sk_live_… / sk_test_… / rk_…" },
  publishableKey: { column: "publishableKey", last4: "publishableKeyLast4", pattern: /^pk_(test|live)_[0-9A-Za-z]{8,}$/, hint: "pk_live_… / pk_test_…" },
  webhookSecret: { column: "webhookSecret", last4: "webhookSecretLast4", pattern: /^whsec_[0-9A-Za-z+/=]{8,}$/, hint: "whsec_…" },
} as const;
export type StripeCredentialName = keyof typeof STRIPE_CREDENTIALS;

/** What sealing binds a key to: this merchant's row and this column (a sealed key copied elsewhere does not open). */
export const credentialContext = (merchantId: string, name: StripeCredentialName) => `stripe_credentials:${merchantId}:${name}`;

/** A Stripe account we charge through; `id` names it without its key (Customers are made once per account). */
export type StripeAccount = { id: string; secretKey: string; publishableKey: string | null; webhookSecret: string | null };

export type StripeEnvironmentKeys = { secretKey?: string; publishableKey?: string; webhookSecret?: string };

export const stripeAccountId = (secretKey: string) => `acct_key_${createHash("sha256").update(secretKey).digest("hex").slice(0, 16)}`;

/**
 * The Stripe account a merchant charges through: its own (keys entered in the console, opened here), or else the
 * environment's (STRIPE_SECRET_KEY, a single-merchant install), or none (the merchant uses the sandbox).
 */
export async function stripeAccountOf(db: Db, secrets: SecretBox, merchantId: string, environment: StripeEnvironmentKeys = {}): Promise<StripeAccount | null> {
  const [row] = await db.select().from(stripeCredentials).where(eq(stripeCredentials.merchantId, merchantId));
  if (row?.secretKey) {
    const open = (name: StripeCredentialName, sealed: string | null) => (sealed ? secrets.open(sealed, credentialContext(merchantId, name)) : null);
    const secretKey = open("secretKey", row.secretKey)!;
    return { id: stripeAccountId(secretKey), secretKey, publishableKey: open("publishableKey", row.publishableKey), webhookSecret: open("webhookSecret", row.webhookSecret) };
  }
  if (environment.secretKey) {
    return { id: stripeAccountId(environment.secretKey), secretKey: environment.secretKey, publishableKey: environment.publishableKey ?? null, webhookSecret: environment.webhookSecret ?? null };
  }
  return null;
}
