import type { PaymentGateway } from "./payment-gateway";

/**
 * The gateways a deployment can charge through. New cards are saved at `primary`; a saved card is charged and
 * refunded at the gateway its payment method names (payment_methods.gateway), so a merchant moving from the sandbox
 * to Stripe keeps charging the cards saved before.
 */
export type Gateways = {
  primary: PaymentGateway;
  byName(name: string): PaymentGateway | undefined;
};

export function gatewayRegistry(primary: PaymentGateway, ...others: PaymentGateway[]): Gateways {
  const all = new Map([primary, ...others].map((g) => [g.name, g]));
  return { primary, byName: (name) => all.get(name) };
}
