/** What a saved card looks like to us: the gateway's reference and what may be shown, never the number. */
export type SavedCard = { gatewayRef: string; brand: string; last4: string; expMonth: number; expYear: number };

export type ChargeRequest = {
  /** The saved card's gateway reference. */
  cardRef: string;
  amount: number;
  currency: string;
  /** Same key, same result: the gateway never charges twice for one key. */
  idempotencyKey: string;
  description?: string;
};

export type ChargeResult =
  | { status: "succeeded"; chargeId: string }
  | { status: "failed"; chargeId: string | null; failureCode: string; message: string };

export class CardAttachError extends Error {
  constructor(
    readonly declineCode: string,
    message: string,
  ) {
    super(message);
    this.name = "CardAttachError";
  }
}

/** The port every payment gateway adapter (sandbox, Stripe, later PAY.JP/UnivaPay/KOMOJU) implements. */
export interface PaymentGateway {
  readonly name: string;
  /** Saves the card behind a one-time token from the gateway's card form; throws CardAttachError if refused. */
  attachCard(input: { token: string; customerId: string }): Promise<SavedCard>;
  charge(request: ChargeRequest): Promise<ChargeResult>;
}
