/** What a saved card looks like to us: the gateway's reference and what may be shown, never the number. */
export type SavedCard = { gatewayRef: string; brand: string; last4: string; expMonth: number; expYear: number };

/**
 * Saving a card: done, or the issuer wants the customer to authenticate first (3-D Secure, required for Japanese
 * e-commerce since March 2025): the customer is sent to `actionUrl`, and the setup is confirmed afterwards.
 */
export type CardSetupResult = { status: "succeeded"; card: SavedCard } | { status: "requires_action"; setupId: string; actionUrl: string };

export type ChargeRequest = {
  /** The saved card's gateway reference. */
  cardRef: string;
  amount: number;
  currency: string;
  /** Same key, same result: the gateway never charges twice for one key. */
  idempotencyKey: string;
  /** When the charge is made in the contract's own time (its test clock's, for test customers). */
  at: Date;
  description?: string;
  /** Our ids (attempt, invoice, merchant), kept with the charge at gateways that keep metadata (Stripe's). */
  references?: Record<string, string>;
};

/** An off-session charge's answer. `failureCode` tells soft declines from hard ones (lib/billing/decline.ts). */
export type ChargeResult =
  | { status: "succeeded"; chargeId: string }
  | { status: "failed"; chargeId: string | null; failureCode: string; message: string };

/**
 * The customer's step that completes a charge the issuer refused for authentication (`authentication_required`):
 * open the issuer's page (`actionUrl`; `framed`: it may be shown in a frame of our page, and tells the page when it is
 * answered, else the customer goes there and comes back to the return URL), or let the gateway's script complete it
 * in our page (`clientSecret`: Stripe.js). A charge with nothing left to do answers with its result instead.
 */
export type AuthenticationStep = { status: "requires_action"; actionUrl: string; framed: boolean } | { status: "requires_action"; clientSecret: string };

export type RefundRequest = { chargeId: string; amount: number; currency: string; idempotencyKey: string };
export type RefundResult = { status: "succeeded"; refundId: string } | { status: "failed"; failureCode: string; message: string };

export class CardAttachError extends Error {
  constructor(
    readonly declineCode: string,
    message: string,
  ) {
    super(message);
    this.name = "CardAttachError";
  }
}

/** The account has no webhook signing secret, so nothing it posts can be verified (and nothing is accepted). */
export class WebhookSecretMissing extends Error {
  constructor(gateway: string) {
    super(`No ${gateway} webhook signing secret is set for this account`);
    this.name = "WebhookSecretMissing";
  }
}

/** What only a test gateway can do: make a card token as the card form would, and make a saved card go bad. */
export type GatewayTestControls<Behavior extends string = string> = {
  createToken(card: { number: string; expMonth: number | string; expYear: number | string; cvc: string }, now: Date): Promise<{ id: string }>;
  setCardBehavior(cardRef: string, behavior: Behavior): Promise<void>;
  readonly behaviors: readonly Behavior[];
};

/**
 * The port every payment gateway adapter (sandbox, Stripe, later PAY.JP/UnivaPay/KOMOJU) implements. Card setup,
 * off-session charges and refunds are what every gateway does; the rest are capabilities an adapter may have.
 */
export interface PaymentGateway {
  readonly name: string;
  /**
   * Saves the card behind a one-time token from the gateway's card form; throws CardAttachError if refused.
   * `customerId` is the gateway's own customer (customers.ensure's answer) where the gateway keeps customers, else ours.
   */
  setupCard(input: { token: string; customerId: string }): Promise<CardSetupResult>;
  /** An off-session charge of a saved card; throws only when there is no answer (then it is replayed by its key). */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Gives back part or all of a charge; the key makes it happen once. Throws only when there is no answer. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /** Gateways that keep a customer record of their own (Stripe's Customer) make one per customer. */
  readonly customers?: { ensure(customer: { id: string; email: string; name: string }): Promise<string> };
  /**
   * Gateways that can say what became of a charge by its idempotency key, for an attempt that got no answer (a
   * timeout, a crash): its result, `not_found` when nothing was charged, `in_progress` when there is no answer yet.
   */
  readonly charges?: { find(request: { idempotencyKey: string }): Promise<ChargeResult | { status: "not_found" } | { status: "in_progress" }> };
  /**
   * Gateways that let a customer authenticate an off-session charge the issuer refused for authentication, after the
   * fact: `start` asks for the customer's step (the charge's own, never a new charge), `confirm` what became of it
   * (`in_progress` while the gateway has no answer yet). Both may be asked again: a charge succeeds at most once.
   */
  readonly authentications?: {
    start(request: { chargeId: string; returnUrl: string }): Promise<AuthenticationStep | ChargeResult | { status: "in_progress" }>;
    confirm(request: { chargeId: string }): Promise<ChargeResult | { status: "in_progress" }>;
  };
  /**
   * Gateways that post webhooks: verifies one with the account's signing secret and parses it into the gateway's
   * event; throws WebhookSecretMissing when the account has none, and the gateway's own error for a bad signature.
   */
  readonly webhooks?: { parse(body: string, signature: string | null): unknown };
  /**
   * Gateways whose card form runs in our own page with the gateway's script (Stripe's Payment Element, which makes a
   * PaymentMethod for setupCard): what the script needs. `publishableKey` null: the account has none, so no card can
   * be taken in the browser. Without this capability the card form is the gateway's hosted page in a frame (the sandbox's).
   */
  readonly cardForm?: { publishableKey: string | null };
  /** Test gateways only. */
  readonly testControls?: GatewayTestControls;
}
