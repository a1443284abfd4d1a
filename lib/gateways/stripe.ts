import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "@/db/client";
import { stripeCustomers } from "@/db/schema";
import { type AuthenticationStep, CardAttachError, type CardSetupResult, type ChargeRequest, type ChargeResult, type PaymentGateway, type RefundResult, type SavedCard, WebhookSecretMissing } from "./payment-gateway";
import type { StripeAccount } from "./stripe-accounts";

/**
 * The Stripe adapter, through the official SDK, for one merchant's account. A saved card's reference is
 * "<Customer id>/<PaymentMethod id>": an off-session PaymentIntent must name the Customer its card is attached to,
 * and keeping both saves a lookup on every charge.
 */

/** Where the SDK sends its requests: Stripe itself by default; tests point it at a local stand-in. */
export type StripeConnection = { host?: string; port?: number; protocol?: "http" | "https"; timeoutMs?: number; maxNetworkRetries?: number };

/**
 * Where Stripe's 3-D Secure page sends the customer (in our frame) once a card's setup is authenticated or not: our own
 * page, which tells the embedding card form (app/card-fields/stripe-return).
 */
export const STRIPE_SETUP_RETURN_PATH = "/card-fields/stripe-return";

/** Stripe's webhooks are verified against this window (seconds), as Stripe's own libraries do by default. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

/** What the gateway says about an attempt it may have answered before: its answer, none (never charged), or not yet. */
export type ChargeLookup = ChargeResult | { status: "not_found" } | { status: "in_progress" };

export type StripeGateway = PaymentGateway & {
  readonly name: "stripe";
  readonly customers: NonNullable<PaymentGateway["customers"]>;
  readonly webhooks: { parse(body: string, signature: string | null): Stripe.Event };
  readonly charges: NonNullable<PaymentGateway["charges"]>;
  readonly authentications: NonNullable<PaymentGateway["authentications"]>;
  readonly cardForm: NonNullable<PaymentGateway["cardForm"]>;
};

const clients = new Map<string, Stripe>();

function clientFor(secretKey: string, connection: StripeConnection): Stripe {
  const cacheKey = JSON.stringify([secretKey, connection]);
  let client = clients.get(cacheKey);
  if (!client) {
    client = new Stripe(secretKey, {
      host: connection.host,
      port: connection.port,
      protocol: connection.protocol,
      timeout: connection.timeoutMs ?? 30_000,
      // The SDK repeats a request that got no answer with the same Idempotency-Key, so a retry never charges twice.
      maxNetworkRetries: connection.maxNetworkRetries ?? 2,
      appInfo: { name: "Keizoku" },
    });
    clients.set(cacheKey, client);
  }
  return client;
}

export const stripeCardRef = (customer: string, paymentMethod: string) => `${customer}/${paymentMethod}`;

function parseCardRef(ref: string): { customer: string; paymentMethod: string } {
  const [customer, paymentMethod, ...rest] = ref.split("/");
  if (!customer || !paymentMethod || rest.length > 0) throw new Error(`Not a Stripe card reference: '${ref}'`);
  return { customer, paymentMethod };
}

function savedCard(customer: string, pm: Stripe.PaymentMethod): SavedCard {
  if (!pm.card) throw new CardAttachError("card_not_supported", "Only cards can be saved.");
  return { gatewayRef: stripeCardRef(customer, pm.id), brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year };
}

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

/**
 * Stripe's decline codes already name what lib/billing/decline.ts sorts into soft and hard (expired_card, lost_card,
 * stolen_card, …); its generic decline is our card_declined. `authentication_required` stays itself: the issuer wants
 * the customer present, which no retry without them can give.
 */
export function stripeFailureCode(error: { code?: string | null; decline_code?: string | null }): string {
  if (error.code === "authentication_required" || error.decline_code === "authentication_required") return "authentication_required";
  const code = error.decline_code ?? error.code ?? "card_declined";
  return code === "generic_decline" ? "card_declined" : code;
}

/** A PaymentIntent's state as a charge's answer; one still processing has no answer yet. */
function intentResult(pi: Stripe.PaymentIntent): ChargeLookup {
  switch (pi.status) {
    case "succeeded":
      return { status: "succeeded", chargeId: pi.id };
    case "processing":
    case "requires_confirmation":
    case "requires_capture":
      return { status: "in_progress" };
    case "requires_action":
      return { status: "failed", chargeId: pi.id, failureCode: "authentication_required", message: "The card's issuer requires the customer to authenticate this payment." };
    default: {
      const error = pi.last_payment_error;
      return { status: "failed", chargeId: pi.id, failureCode: error ? stripeFailureCode(error) : pi.status === "canceled" ? "canceled" : "card_declined", message: error?.message ?? "The charge failed." };
    }
  }
}

/** A SetupIntent's error as the core's decline code: a 3-D Secure the customer did not pass is authentication_failed (the sandbox's too). */
function setupFailureCode(error: Stripe.SetupIntent.LastSetupError): string {
  return error.code === "setup_intent_authentication_failure" ? "authentication_failed" : stripeFailureCode(error);
}

/**
 * `site.baseUrl`: this server's public address (KEIZOKU_BASE_URL), where Stripe's 3-D Secure page returns the
 * customer's frame after a card's setup (STRIPE_SETUP_RETURN_PATH).
 */
export function createStripeGateway(db: Db, merchantId: string, account: StripeAccount, connection: StripeConnection = {}, site: { baseUrl: string }): StripeGateway {
  const stripe = clientFor(account.secretKey, connection);
  const setupReturnUrl = new URL(STRIPE_SETUP_RETURN_PATH, site.baseUrl).toString();

  /** A SetupIntent's end: the card saved, the customer sent to authenticate, or a refusal. */
  async function setupResult(si: Stripe.SetupIntent): Promise<CardSetupResult> {
    const customer = idOf(si.customer);
    if (si.status === "succeeded") {
      const pm = typeof si.payment_method === "string" || !si.payment_method ? await stripe.paymentMethods.retrieve(idOf(si.payment_method)!) : si.payment_method;
      if (!customer) throw new CardAttachError("token_not_found", "The SetupIntent has no Customer.");
      return { status: "succeeded", card: savedCard(customer, pm) };
    }
    if (si.status === "requires_action") {
      // Confirmed here with a return URL, the issuer's 3-D Secure page (shown in our frame, it returns to our page);
      // one confirmed by Stripe.js in the page has its own next action there (no redirect URL).
      return { status: "requires_action", setupId: si.id, actionUrl: si.next_action?.redirect_to_url?.url ?? "" };
    }
    const error = si.last_setup_error;
    throw new CardAttachError(error ? setupFailureCode(error) : "card_declined", error?.message ?? "The card could not be saved.");
  }

  /** The customer's step for a PaymentIntent that requires_action: the issuer's page to go to, else Stripe.js with the client secret. */
  function authenticationStep(pi: Stripe.PaymentIntent): AuthenticationStep {
    const url = pi.next_action?.redirect_to_url?.url;
    return url ? { status: "requires_action", actionUrl: url, framed: false } : { status: "requires_action", clientSecret: pi.client_secret ?? "" };
  }

  /** A PaymentIntent's answer once the customer's step is over; one Stripe is still processing is not failed, only not settled. */
  function settledResult(pi: Stripe.PaymentIntent): ChargeResult | { status: "in_progress" } {
    const result = intentResult(pi);
    return result.status === "not_found" ? { status: "in_progress" } : result;
  }

  async function find(idempotencyKey: string): Promise<ChargeLookup> {
    const found = await stripe.paymentIntents.search({ query: `metadata['keizoku_idempotency_key']:'${idempotencyKey.replace(/'/g, "\\'")}'`, limit: 10 });
    const intents = found.data;
    if (intents.length === 0) return { status: "not_found" };
    // The key makes one PaymentIntent; should there be more (a key replayed after Stripe forgot it), a success wins.
    return intentResult(intents.find((pi) => pi.status === "succeeded") ?? intents[0]!);
  }

  return {
    name: "stripe",
    cardForm: { publishableKey: account.publishableKey },
    customers: {
      async ensure(customer) {
        const known = await db
          .select({ ref: stripeCustomers.stripeCustomerId })
          .from(stripeCustomers)
          .where(and(eq(stripeCustomers.customerId, customer.id), eq(stripeCustomers.account, account.id)));
        if (known[0]) return known[0].ref;
        const created = await stripe.customers.create(
          { email: customer.email, name: customer.name, metadata: { keizoku_customer: customer.id, keizoku_merchant: merchantId } },
          // Two setups of one customer at once make one Customer: Stripe answers the second with the first.
          { idempotencyKey: `keizoku-customer:${customer.id}` },
        );
        await db.insert(stripeCustomers).values({ merchantId, customerId: customer.id, account: account.id, stripeCustomerId: created.id }).onConflictDoNothing();
        return created.id;
      },
    },
    /**
     * `token` is a SetupIntent (confirmed by the Payment Element) or a PaymentMethod to set up here (the Payment
     * Element's, made with paymentMethodCreation "manual"); `customerId` is the Stripe Customer. A PaymentMethod's
     * setup is confirmed with our return URL, so that 3-D Secure is the issuer's page in our frame.
     */
    async setupCard({ token, customerId }) {
      try {
        if (token.startsWith("seti_")) {
          const si = await stripe.setupIntents.retrieve(token, { expand: ["payment_method"] });
          if (idOf(si.customer) !== customerId) throw new CardAttachError("token_not_found", "The SetupIntent belongs to another customer.");
          return await setupResult(si);
        }
        if (!token.startsWith("pm_")) throw new CardAttachError("token_not_found", `Not a Stripe SetupIntent or PaymentMethod: '${token}'.`);
        const si = await stripe.setupIntents.create(
          { customer: customerId, payment_method: token, confirm: true, usage: "off_session", return_url: setupReturnUrl, expand: ["payment_method"] },
          { idempotencyKey: `keizoku-setup:${customerId}:${token}` },
        );
        // The same card sent again after the customer's 3-D Secure replays the key, and Stripe answers its first
        // answer (requires_action): what became of the setup since is read from the SetupIntent itself.
        if (si.status === "requires_action") return await setupResult(await stripe.setupIntents.retrieve(si.id, { expand: ["payment_method"] }));
        return await setupResult(si);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) throw new CardAttachError(stripeFailureCode(error), error.message);
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing") throw new CardAttachError("token_not_found", error.message);
        throw error;
      }
    },
    async charge(request: ChargeRequest): Promise<ChargeResult> {
      const { customer, paymentMethod } = parseCardRef(request.cardRef);
      let intent: Stripe.PaymentIntent;
      try {
        intent = await stripe.paymentIntents.create(
          {
            amount: request.amount,
            currency: request.currency.toLowerCase(),
            customer,
            payment_method: paymentMethod,
            confirm: true,
            off_session: true,
            description: request.description,
            metadata: { ...request.references, keizoku_idempotency_key: request.idempotencyKey },
          },
          { idempotencyKey: request.idempotencyKey },
        );
      } catch (error) {
        // A decline is an answer (402, with the PaymentIntent); anything else — no connection, a timeout, a 5xx — is not.
        if (error instanceof Stripe.errors.StripeCardError) {
          return { status: "failed", chargeId: idOf(error.payment_intent) ?? null, failureCode: stripeFailureCode(error), message: error.message };
        }
        throw error;
      }
      const result = intentResult(intent);
      if (result.status === "in_progress" || result.status === "not_found") throw new Error(`Stripe has not settled PaymentIntent ${intent.id} yet (${intent.status})`);
      return result;
    },
    async refund(request): Promise<RefundResult> {
      try {
        const refund = await stripe.refunds.create({ payment_intent: request.chargeId, amount: request.amount, metadata: { keizoku_idempotency_key: request.idempotencyKey } }, { idempotencyKey: request.idempotencyKey });
        if (refund.status === "failed" || refund.status === "canceled") return { status: "failed", failureCode: refund.failure_reason ?? refund.status, message: `The refund ${refund.status}.` };
        return { status: "succeeded", refundId: refund.id };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code) return { status: "failed", failureCode: error.code, message: error.message };
        throw error;
      }
    },
    charges: {
      async find({ idempotencyKey }) {
        return find(idempotencyKey);
      },
    },
    /**
     * An off-session PaymentIntent declined for authentication is left requires_payment_method with its card: it is
     * confirmed again in the customer's presence with a return URL, which gives the issuer's 3-D Secure page (Stripe's
     * redirect), or the client secret when Stripe wants Stripe.js to handle the next action in the page. Only ever this
     * PaymentIntent: it succeeds at most once, however often the customer starts over.
     */
    authentications: {
      async start({ chargeId, returnUrl }) {
        let pi = await stripe.paymentIntents.retrieve(chargeId);
        if (pi.status === "requires_action") return authenticationStep(pi);
        const paymentMethod = idOf(pi.payment_method);
        // Declined off-session for authentication, or a customer's authentication that failed: the customer may try (again).
        const lastError = pi.last_payment_error ? stripeFailureCode(pi.last_payment_error) : null;
        const declinedForAuthentication = pi.status === "requires_payment_method" && paymentMethod !== null && (lastError === "authentication_required" || lastError === "payment_intent_authentication_failure");
        if (declinedForAuthentication) {
          try {
            pi = await stripe.paymentIntents.confirm(pi.id, { payment_method: paymentMethod, return_url: returnUrl });
          } catch (error) {
            if (error instanceof Stripe.errors.StripeCardError) return { status: "failed", chargeId: pi.id, failureCode: stripeFailureCode(error), message: error.message };
            throw error;
          }
          if (pi.status === "requires_action") return authenticationStep(pi);
        }
        return settledResult(pi);
      },
      async confirm({ chargeId }) {
        return settledResult(await stripe.paymentIntents.retrieve(chargeId));
      },
    },
    webhooks: {
      parse(body, signature) {
        const secret = account.webhookSecret;
        if (!secret) throw new WebhookSecretMissing("Stripe");
        if (!signature) throw new Stripe.errors.StripeSignatureVerificationError(signature ?? "", body, { message: "No Stripe-Signature header" });
        return stripe.webhooks.constructEvent(body, signature, secret, STRIPE_WEBHOOK_TOLERANCE_SECONDS);
      },
    },
  };
}
