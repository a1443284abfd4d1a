import type { PaymentGateway } from "./payment-gateway";

/** Gateways by name, and the one where new cards are saved. */
export type GatewaySet = {
  primary: PaymentGateway;
  byName(name: string): PaymentGateway | undefined;
};

/**
 * The gateways a deployment can charge through. New cards are saved at `primary`; a saved card is charged and
 * refunded at the gateway its payment method names (payment_methods.gateway), so a merchant moving from the sandbox
 * to Stripe keeps charging the cards saved before. `primary` and `byName` are the deployment's own (the sandbox and
 * its test controls); `forMerchant` adds a merchant's own account (its Stripe keys), which then saves its new cards.
 */
export type Gateways = GatewaySet & {
  forMerchant(merchantId: string): Promise<GatewaySet>;
};

function gatewaySet(primary: PaymentGateway, others: readonly PaymentGateway[]): GatewaySet {
  const all = new Map([primary, ...others].map((g) => [g.name, g]));
  return { primary, byName: (name) => all.get(name) };
}

/** Gateways that are the same for every merchant. */
export function gatewayRegistry(primary: PaymentGateway, ...others: PaymentGateway[]): Gateways {
  const set = gatewaySet(primary, others);
  return { ...set, forMerchant: async () => set };
}

/** The deployment's gateways, and for each merchant the account of its own that `accountOf` finds, first. */
export function merchantGatewayRegistry(deployment: GatewaySet, accountOf: (merchantId: string) => Promise<PaymentGateway | null>): Gateways {
  return {
    ...deployment,
    async forMerchant(merchantId) {
      const own = await accountOf(merchantId);
      if (!own) return deployment;
      return { primary: own, byName: (name) => (name === own.name ? own : deployment.byName(name)) };
    },
  };
}
