import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for Stripe's API servers, which cannot be reached from here: a local HTTP server speaking the part of
 * Stripe's v1 API the adapter uses (customers, payment methods, setup intents, payment intents with their search,
 * refunds), for the official `stripe` SDK pointed at it with its host/port/protocol options. Like Stripe it honours
 * Idempotency-Key on POST (the same key → the stored answer, nothing made twice) and answers declines with 402 card
 * errors carrying the PaymentIntent. A card's behaviour is chosen when the test makes it; the stand-in can hold the
 * answers to the next charges (the charge is made, the answer arrives too late: a timeout) and forget its keys
 * (Stripe does after 24 hours). A PaymentIntent declined for authentication can be confirmed again on-session with a
 * return URL (it then requires_action, with a redirect to the issuer's page), and the test marks it authenticated (or
 * not) as the customer would on that page: authenticatePaymentIntent. A card set up with 3-D Secure does the same:
 * confirmed with a return URL its SetupIntent redirects to the issuer's page (carrying that return URL, where the page
 * sends the customer back), without one it wants Stripe.js (use_stripe_sdk); authenticateSetupIntent answers it.
 */
export type StandInCardBehavior = "succeed" | "insufficient_funds" | "generic_decline" | "expired_card" | "authentication_required" | "requires_action_on_setup" | "decline_on_setup";

type Obj = Record<string, unknown>;

export type StripeStandIn = {
  port: number;
  /** A PaymentMethod as the Payment Element would make one; returns its id. */
  addCard(behavior: StandInCardBehavior, card?: { brand?: string; last4?: string; expMonth?: number; expYear?: number }): string;
  /** What a card (PaymentMethod id) does from now on, as a card whose issuer changes its mind (e.g. starts asking for authentication). */
  setCardBehavior(paymentMethod: string, behavior: StandInCardBehavior): void;
  /** A SetupIntent confirmed in the browser by the Payment Element, for a new card of this Customer; returns its id. */
  confirmedSetupIntent(customer: string, behavior: StandInCardBehavior): string;
  customers: Obj[];
  setupIntents: Obj[];
  paymentIntents: Obj[];
  refunds: Obj[];
  /** Every request: method, path, the Idempotency-Key sent, whether it was a replay. */
  requests: { method: string; path: string; idempotencyKey: string | null; replayed: boolean }[];
  /**
   * The customer's answer on the issuer's 3-D Secure page of a PaymentIntent that requires_action: it succeeds (one
   * charge), or goes back to requires_payment_method with an authentication failure. False when none is pending.
   */
  authenticatePaymentIntent(id: string, outcome?: "succeeded" | "failed"): boolean;
  /**
   * The customer's answer on the issuer's 3-D Secure page of a SetupIntent that requires_action: the card is saved
   * (succeeded), or the setup goes back to requires_payment_method with an authentication failure, as at Stripe.
   */
  authenticateSetupIntent(id: string, outcome?: "succeeded" | "failed"): boolean;
  /** The next `n` PaymentIntent creations are made, but answered only after `ms`. */
  delayNextCharges(n: number, ms: number): void;
  forgetIdempotencyKeys(): void;
  close(): Promise<void>;
};

/** Stripe's form encoding (a[b]=1, a[0]=x) back into objects and arrays. */
function parseForm(body: string): Obj {
  const out: Obj = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Obj = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(path[i + 1]!) ? [] : {}) as Obj;
    });
  }
  return out;
}

export async function startStripeStandIn(): Promise<StripeStandIn> {
  let seq = 0;
  const id = (prefix: string) => `${prefix}_standin${(++seq).toString().padStart(6, "0")}`;
  const cards = new Map<string, { pm: Obj; behavior: StandInCardBehavior }>();
  const customers: Obj[] = [];
  const paymentIntents: Obj[] = [];
  const refunds: Obj[] = [];
  const setupIntents = new Map<string, Obj>();
  const requests: StripeStandIn["requests"] = [];
  let idempotency = new Map<string, { status: number; body: Obj }>();
  let delayed = { n: 0, ms: 0 };

  const cardError = (code: string, declineCode: string | undefined, message: string, extra: Obj = {}) => ({
    status: 402,
    body: { error: { type: "card_error", code, decline_code: declineCode, message, ...extra } },
  });
  const notFound = (what: string) => ({ status: 404, body: { error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${what}` } } });

  function createSetupIntent(params: Obj): { status: number; body: Obj } {
    const card = cards.get(params.payment_method as string);
    if (!card) return notFound("payment_method");
    const si: Obj = { id: id("seti"), object: "setup_intent", customer: params.customer, payment_method: card.pm.id, usage: params.usage, next_action: null, last_setup_error: null };
    if (card.behavior === "decline_on_setup") return cardError("card_declined", "generic_decline", "Your card was declined.", { setup_intent: { ...si, status: "requires_payment_method" } });
    if (card.behavior === "requires_action_on_setup") {
      // Stripe redirects to the issuer's page only when the confirmation names a return URL; otherwise Stripe.js handles it.
      const returnUrl = (params.return_url as string | undefined) ?? null;
      const nextAction = returnUrl
        ? { type: "redirect_to_url", redirect_to_url: { url: `https://hooks.stripe.test/3ds/${si.id as string}?return_url=${encodeURIComponent(returnUrl)}`, return_url: returnUrl } }
        : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } };
      Object.assign(si, { status: "requires_action", next_action: nextAction });
    } else {
      si.status = "succeeded";
      // Stripe attaches the card to the Customer when its setup succeeds.
      card.pm.customer = params.customer;
    }
    setupIntents.set(si.id as string, si);
    const expand = (params.expand as string[] | undefined) ?? [];
    return { status: 200, body: expand.includes("payment_method") ? { ...si, payment_method: card.pm } : si };
  }

  function createPaymentIntent(params: Obj): { status: number; body: Obj } {
    const card = cards.get(params.payment_method as string);
    if (!card) return notFound("payment_method");
    const pi: Obj = {
      id: id("pi"),
      object: "payment_intent",
      amount: Number(params.amount),
      currency: params.currency,
      customer: params.customer,
      payment_method: card.pm.id,
      metadata: params.metadata ?? {},
      off_session: params.off_session,
      last_payment_error: null,
      next_action: null,
      created: Math.floor(Date.now() / 1000),
    };
    pi.client_secret = `${pi.id as string}_secret_standin`;
    paymentIntents.push(pi);
    const decline = (code: string, declineCode: string | undefined, message: string) => {
      pi.status = "requires_payment_method";
      pi.last_payment_error = { type: "card_error", code, decline_code: declineCode, message };
      return cardError(code, declineCode, message, { payment_intent: pi });
    };
    if (params.customer !== card.pm.customer) return { status: 400, body: { error: { type: "invalid_request_error", message: "The PaymentMethod is not attached to this Customer." } } };
    switch (card.behavior) {
      case "insufficient_funds":
        return decline("card_declined", "insufficient_funds", "Your card has insufficient funds.");
      case "generic_decline":
        return decline("card_declined", "generic_decline", "Your card was declined.");
      case "expired_card":
        return decline("expired_card", "expired_card", "Your card has expired.");
      case "authentication_required":
        return decline("authentication_required", "authentication_required", "Your card was declined. This transaction requires authentication.");
      default:
        pi.status = "succeeded";
        pi.latest_charge = id("ch");
        return { status: 200, body: pi };
    }
  }

  /** A confirmation in the customer's presence (return_url): a card that asks for authentication requires_action. */
  function confirmPaymentIntent(pi: Obj, params: Obj): { status: number; body: Obj } {
    if (pi.status === "succeeded") return { status: 400, body: { error: { type: "invalid_request_error", code: "payment_intent_unexpected_state", message: "This PaymentIntent has already succeeded.", payment_intent: pi } } };
    const card = cards.get((params.payment_method as string | undefined) ?? (pi.payment_method as string));
    if (!card) return notFound("payment_method");
    pi.payment_method = card.pm.id;
    pi.last_payment_error = null;
    if (card.behavior === "authentication_required") {
      if (!params.return_url) return { status: 400, body: { error: { type: "invalid_request_error", message: "The stand-in needs a return_url to authenticate a payment." } } };
      pi.status = "requires_action";
      pi.next_action = { type: "redirect_to_url", redirect_to_url: { url: `https://hooks.stripe.test/3ds/${pi.id as string}`, return_url: params.return_url } };
      return { status: 200, body: pi };
    }
    pi.status = "succeeded";
    pi.latest_charge = id("ch");
    return { status: 200, body: pi };
  }

  function searchPaymentIntents(query: string): { status: number; body: Obj } {
    const match = /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(query);
    if (!match) return { status: 400, body: { error: { type: "invalid_request_error", message: `The stand-in does not understand the query ${query}` } } };
    const [, key, value] = match;
    const data = paymentIntents.filter((pi) => (pi.metadata as Obj)[key!] === value!.replace(/\\'/g, "'"));
    return { status: 200, body: { object: "search_result", url: "/v1/payment_intents/search", has_more: false, next_page: null, data } };
  }

  function createRefund(params: Obj): { status: number; body: Obj } {
    const pi = paymentIntents.find((p) => p.id === params.payment_intent);
    if (!pi || pi.status !== "succeeded") return { status: 400, body: { error: { type: "invalid_request_error", code: "charge_not_found", message: "No successful payment to refund." } } };
    const amount = Number(params.amount ?? pi.amount);
    const already = refunds.filter((r) => r.payment_intent === pi.id).reduce((sum, r) => sum + (r.amount as number), 0);
    if (already + amount > (pi.amount as number)) return { status: 400, body: { error: { type: "invalid_request_error", code: "charge_already_refunded", message: "The refund exceeds the payment." } } };
    const refund = { id: id("re"), object: "refund", amount, payment_intent: pi.id, status: "succeeded", currency: pi.currency, metadata: params.metadata ?? {} };
    refunds.push(refund);
    return { status: 200, body: refund };
  }

  function route(method: string, url: URL, params: Obj): { status: number; body: Obj } {
    const path = url.pathname;
    if (method === "POST" && path === "/v1/customers") {
      const customer = { id: id("cus"), object: "customer", email: params.email, name: params.name, metadata: params.metadata ?? {} };
      customers.push(customer);
      return { status: 200, body: customer };
    }
    if (method === "POST" && path === "/v1/setup_intents") return createSetupIntent(params);
    if (method === "GET" && path.startsWith("/v1/setup_intents/")) {
      const si = setupIntents.get(path.split("/")[3]!);
      if (!si) return notFound("setup_intent");
      const expand = url.searchParams.getAll("expand[0]").concat(url.searchParams.getAll("expand[]"));
      return { status: 200, body: expand.includes("payment_method") ? { ...si, payment_method: cards.get(si.payment_method as string)?.pm } : si };
    }
    if (method === "GET" && path.startsWith("/v1/payment_methods/")) {
      const card = cards.get(path.split("/")[3]!);
      return card ? { status: 200, body: card.pm } : notFound("payment_method");
    }
    if (method === "GET" && path === "/v1/payment_intents/search") return searchPaymentIntents(url.searchParams.get("query") ?? "");
    if (method === "POST" && path === "/v1/payment_intents") return createPaymentIntent(params);
    const intent = /^\/v1\/payment_intents\/(pi_[^/]+)(\/confirm)?$/.exec(path);
    if (intent) {
      const pi = paymentIntents.find((p) => p.id === intent[1]);
      if (!pi) return notFound("payment_intent");
      if (method === "GET" && !intent[2]) return { status: 200, body: pi };
      if (method === "POST" && intent[2]) return confirmPaymentIntent(pi, params);
    }
    if (method === "POST" && path === "/v1/refunds") return createRefund(params);
    return { status: 404, body: { error: { type: "invalid_request_error", message: `The stand-in has no ${method} ${path}` } } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    const key = method === "POST" ? ((req.headers["idempotency-key"] as string | undefined) ?? null) : null;
    const stored = key ? idempotency.get(key) : undefined;
    requests.push({ method, path: url.pathname, idempotencyKey: key, replayed: Boolean(stored) });
    let answer = stored;
    if (!answer) {
      answer = route(method, url, parseForm(Buffer.concat(chunks).toString("utf8")));
      if (key) idempotency.set(key, answer);
    }
    if (method === "POST" && url.pathname === "/v1/payment_intents" && !stored && delayed.n > 0) {
      delayed.n--;
      await new Promise((resolve) => setTimeout(resolve, delayed.ms));
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, { "content-type": "application/json", "request-id": `req_${seq}`, ...(stored ? { "idempotent-replayed": "true" } : {}) });
    res.end(JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  const standIn: StripeStandIn = {
    port: (server.address() as AddressInfo).port,
    addCard(behavior, card = {}) {
      const pm = {
        id: id("pm"),
        object: "payment_method",
        type: "card",
        customer: null,
        card: { brand: card.brand ?? "visa", last4: card.last4 ?? "4242", exp_month: card.expMonth ?? 12, exp_year: card.expYear ?? 2034 },
      };
      cards.set(pm.id, { pm, behavior });
      return pm.id;
    },
    setCardBehavior(paymentMethod, behavior) {
      const card = cards.get(paymentMethod);
      if (!card) throw new Error(`The stand-in has no card ${paymentMethod}`);
      card.behavior = behavior;
    },
    confirmedSetupIntent(customer, behavior) {
      const pm = standIn.addCard(behavior);
      const made = createSetupIntent({ customer, payment_method: pm, usage: "off_session" });
      return (made.body as { id?: string }).id ?? (made.body.error as { setup_intent: { id: string } }).setup_intent.id;
    },
    customers,
    get setupIntents() {
      return [...setupIntents.values()];
    },
    paymentIntents,
    refunds,
    requests,
    authenticatePaymentIntent(piId, outcome = "succeeded") {
      const pi = paymentIntents.find((p) => p.id === piId);
      if (!pi || pi.status !== "requires_action") return false;
      pi.next_action = null;
      if (outcome === "succeeded") {
        pi.status = "succeeded";
        pi.latest_charge = id("ch");
      } else {
        pi.status = "requires_payment_method";
        pi.last_payment_error = { type: "card_error", code: "payment_intent_authentication_failure", message: "The provided PaymentMethod has failed authentication." };
      }
      return true;
    },
    authenticateSetupIntent(siId, outcome = "succeeded") {
      const si = setupIntents.get(siId);
      if (!si || si.status !== "requires_action") return false;
      si.next_action = null;
      if (outcome === "succeeded") {
        si.status = "succeeded";
        cards.get(si.payment_method as string)!.pm.customer = si.customer;
      } else {
        si.status = "requires_payment_method";
        si.last_setup_error = { type: "invalid_request_error", code: "setup_intent_authentication_failure", message: "The latest attempt to set up the payment method has failed because authentication failed." };
      }
      return true;
    },
    delayNextCharges(n, ms) {
      delayed = { n, ms };
    },
    forgetIdempotencyKeys() {
      idempotency = new Map();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
}
