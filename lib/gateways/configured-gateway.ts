import type { Db } from "@/db/client";
import type { SecretBox } from "@/lib/crypto/secret-box";
import { baseUrl, env } from "@/lib/env";
import { type Gateways, merchantGatewayRegistry } from "./gateways";
import { createSandboxGateway } from "./sandbox";
import { createStripeGateway, type StripeConnection } from "./stripe";
import { stripeAccountOf, type StripeEnvironmentKeys } from "./stripe-accounts";

export type GatewayConfiguration = {
  secrets: SecretBox;
  /** The environment's Stripe account (STRIPE_SECRET_KEY …), for merchants without keys of their own. */
  stripeEnvironment?: StripeEnvironmentKeys;
  /** Tests: where the Stripe SDK sends its requests. */
  stripeConnection?: StripeConnection;
  /** This server's public address, where Stripe's 3-D Secure page returns (KEIZOKU_BASE_URL by default). */
  baseUrl?: string;
};

/**
 * The gateways this deployment charges through: the built-in sandbox, and Stripe for each merchant with a Stripe
 * account (its own keys, or the environment's); such a merchant's new cards are saved at Stripe.
 */
export function configuredGateways(db: Db, configuration: GatewayConfiguration): Gateways {
  const e = env();
  const environment = configuration.stripeEnvironment ?? { secretKey: e.STRIPE_SECRET_KEY, publishableKey: e.STRIPE_PUBLISHABLE_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET };
  const site = { baseUrl: configuration.baseUrl ?? baseUrl(e) };
  const sandbox = createSandboxGateway(db);
  return merchantGatewayRegistry({ primary: sandbox, byName: (name) => (name === sandbox.name ? sandbox : undefined) }, async (merchantId) => {
    const account = await stripeAccountOf(db, configuration.secrets, merchantId, environment);
    return account ? createStripeGateway(db, merchantId, account, configuration.stripeConnection, site) : null;
  });
}
