import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { declineKind } from "@/lib/billing/decline";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant } from "@/test/support/merchant";
import { startStripeStandIn, type StripeStandIn } from "@/test/support/stripe-stand-in";
import { CardAttachError, WebhookSecretMissing } from "./payment-gateway";
import { createStripeGateway, type StripeGateway } from "./stripe";
import { stripeAccountId } from "./stripe-accounts";

// Stripe's servers cannot be reached from here: the official SDK talks to a local stand-in (test/support/stripe-stand-in.ts).
describe("the Stripe adapter, through the official SDK", () => {
  let database: Database;
  let standIn: StripeStandIn;
  let gateway: StripeGateway;
  const secretKey = "sk_test_adapter000000000001";

  beforeAll(async () => {
    database = await openTestDatabase();
    standIn = await startStripeStandIn();
    const m = await setupTestMerchant(database);
    gateway = createStripeGateway(
      database.db,
      m.merchantId,
      { id: stripeAccountId(secretKey), secretKey, publishableKey: null, webhookSecret: null },
      { host: "127.0.0.1", port: standIn.port, protocol: "http", maxNetworkRetries: 0, timeoutMs: 2_000 },
      { baseUrl: "http://localhost:3000" },
    );
  });
  afterAll(async () => {
    await standIn.close();
    await database.close();
  });

  async function savedCard(behavior: Parameters<StripeStandIn["addCard"]>[0], customerId = `cus_ours_${behavior}`) {
    const stripeCustomer = await gateway.customers.ensure({ id: customerId, email: `${customerId}@example.jp`, name: "山田 太郎" });
    const setup = await gateway.setupCard({ token: standIn.addCard(behavior, { brand: "jcb", last4: "0505", expMonth: 3, expYear: 2031 }), customerId: stripeCustomer });
    if (setup.status !== "succeeded") throw new Error("setup did not succeed");
    return setup.card;
  }

  const charge = (cardRef: string, idempotencyKey: string, amount = 3000) => gateway.charge({ cardRef, amount, currency: "JPY", idempotencyKey, at: new Date(), references: { keizoku_attempt: `pa_${idempotencyKey}` } });

  it("makes one Stripe Customer per customer, with our ids in its metadata", async () => {
    const first = await gateway.customers.ensure({ id: "cus_once", email: "once@example.jp", name: "一度 だけ" });
    const again = await gateway.customers.ensure({ id: "cus_once", email: "once@example.jp", name: "一度 だけ" });
    expect(again).toBe(first);
    const made = standIn.customers.filter((c) => (c.metadata as Record<string, string>).keizoku_customer === "cus_once");
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ id: first, email: "once@example.jp" });
  });

  it("saves a card from a PaymentMethod with its brand, last 4 and expiry; 3-D Secure gives an action URL; a refusal is a CardAttachError", async () => {
    const card = await savedCard("succeed");
    expect(card).toMatchObject({ brand: "jcb", last4: "0505", expMonth: 3, expYear: 2031 });
    expect(card.gatewayRef).toMatch(/^cus_standin\d+\/pm_standin\d+$/);

    const customer = await gateway.customers.ensure({ id: "cus_3ds", email: "3ds@example.jp", name: "認証 必要" });
    const challenge = await gateway.setupCard({ token: standIn.addCard("requires_action_on_setup"), customerId: customer });
    expect(challenge).toMatchObject({ status: "requires_action", setupId: expect.stringMatching(/^seti_/), actionUrl: expect.stringContaining("/3ds/") });

    const refused = await gateway.setupCard({ token: standIn.addCard("decline_on_setup"), customerId: customer }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CardAttachError);
    expect((refused as CardAttachError).declineCode).toBe("card_declined");

    const unknown = await gateway.setupCard({ token: "tok_from_the_sandbox", customerId: customer }).catch((e: unknown) => e);
    expect((unknown as CardAttachError).declineCode).toBe("token_not_found");
  });

  it("confirms a card's setup with our return URL: 3-D Secure is the issuer's page returning to /card-fields/stripe-return, and the card sent again reads what the customer did there", async () => {
    const customer = await gateway.customers.ensure({ id: "cus_3ds_framed", email: "framed@example.jp", name: "認証 する" });
    const pm = standIn.addCard("requires_action_on_setup", { last4: "3155" });
    const first = await gateway.setupCard({ token: pm, customerId: customer });
    expect(first).toMatchObject({ status: "requires_action", setupId: expect.stringMatching(/^seti_/) });
    if (first.status !== "requires_action") throw new Error("expected requires_action");
    // The frame's page: Stripe's redirect, which returns the frame to our page when the customer is done.
    expect(new URL(first.actionUrl).searchParams.get("return_url")).toBe("http://localhost:3000/card-fields/stripe-return");
    const si = standIn.setupIntents.find((s) => s.id === first.setupId)!;
    expect((si.next_action as { redirect_to_url: { return_url: string } }).redirect_to_url.return_url).toBe("http://localhost:3000/card-fields/stripe-return");

    // Sent again before the customer answered: still waiting, the same SetupIntent.
    expect(await gateway.setupCard({ token: pm, customerId: customer })).toEqual(first);
    expect(standIn.authenticateSetupIntent(first.setupId, "succeeded")).toBe(true);
    const saved = await gateway.setupCard({ token: pm, customerId: customer });
    expect(saved).toMatchObject({ status: "succeeded", card: { gatewayRef: `${customer}/${pm}`, last4: "3155" } });
    // One SetupIntent for the card: the later sends replayed its key (Idempotency-Key) and read it.
    expect(standIn.setupIntents.filter((s) => s.payment_method === pm)).toHaveLength(1);
    expect(standIn.requests.filter((r) => r.method === "POST" && r.path === "/v1/setup_intents" && r.idempotencyKey === `keizoku-setup:${customer}:${pm}`).map((r) => r.replayed)).toEqual([false, true, true]);
  });

  it("a 3-D Secure the customer did not pass refuses the card as authentication_failed", async () => {
    const customer = await gateway.customers.ensure({ id: "cus_3ds_failed", email: "failed@example.jp", name: "認証 失敗" });
    const pm = standIn.addCard("requires_action_on_setup");
    const first = await gateway.setupCard({ token: pm, customerId: customer });
    if (first.status !== "requires_action") throw new Error("expected requires_action");
    expect(standIn.authenticateSetupIntent(first.setupId, "failed")).toBe(true);
    const refused = await gateway.setupCard({ token: pm, customerId: customer }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CardAttachError);
    expect((refused as CardAttachError).declineCode).toBe("authentication_failed");
  });

  it("tells the card form its publishable key (none: no card can be taken in the browser)", () => {
    expect(gateway.cardForm).toEqual({ publishableKey: null });
    const withKey = createStripeGateway(database.db, "mer_x", { id: stripeAccountId(secretKey), secretKey, publishableKey: "pk_test_adapter0000001", webhookSecret: null }, {}, { baseUrl: "http://localhost:3000" });
    expect(withKey.cardForm).toEqual({ publishableKey: "pk_test_adapter0000001" });
  });

  it("confirms a SetupIntent the Payment Element made, and refuses one of another customer", async () => {
    const customer = await gateway.customers.ensure({ id: "cus_seti", email: "seti@example.jp", name: "設定 済み" });
    const seti = standIn.confirmedSetupIntent(customer, "succeed");
    const made = await gateway.setupCard({ token: seti, customerId: customer });
    expect(made).toMatchObject({ status: "succeeded", card: { gatewayRef: expect.stringMatching(new RegExp(`^${customer}/pm_`)), last4: "4242" } });
    const other = await gateway.customers.ensure({ id: "cus_other", email: "other@example.jp", name: "他 人" });
    const refused = await gateway.setupCard({ token: seti, customerId: other }).catch((e: unknown) => e);
    expect((refused as CardAttachError).declineCode).toBe("token_not_found");
  });

  it("charges off-session with the attempt's key as Idempotency-Key and our ids in the metadata", async () => {
    const card = await savedCard("succeed");
    const result = await charge(card.gatewayRef, "inv_ok:1");
    expect(result).toMatchObject({ status: "succeeded", chargeId: expect.stringMatching(/^pi_/) });
    const pi = standIn.paymentIntents.find((p) => p.id === (result as { chargeId: string }).chargeId)!;
    expect(pi).toMatchObject({ amount: 3000, currency: "jpy", off_session: "true", metadata: { keizoku_attempt: "pa_inv_ok:1", keizoku_idempotency_key: "inv_ok:1" } });
    expect(standIn.requests.find((r) => r.path === "/v1/payment_intents" && r.idempotencyKey === "inv_ok:1")).toBeDefined();
  });

  it("maps declines to the core's soft and hard codes, and authentication_required to its own", async () => {
    const soft = await charge((await savedCard("insufficient_funds")).gatewayRef, "inv_soft:1");
    expect(soft).toMatchObject({ status: "failed", failureCode: "insufficient_funds", chargeId: expect.stringMatching(/^pi_/) });
    expect(declineKind((soft as { failureCode: string }).failureCode)).toBe("soft");

    const generic = await charge((await savedCard("generic_decline")).gatewayRef, "inv_generic:1");
    expect(generic).toMatchObject({ status: "failed", failureCode: "card_declined" });

    const hard = await charge((await savedCard("expired_card")).gatewayRef, "inv_hard:1");
    expect(hard).toMatchObject({ status: "failed", failureCode: "expired_card" });
    expect(declineKind((hard as { failureCode: string }).failureCode)).toBe("hard");

    const sca = await charge((await savedCard("authentication_required")).gatewayRef, "inv_sca:1");
    expect(sca).toMatchObject({ status: "failed", failureCode: "authentication_required" });
  });

  // Stripe.js (handleNextAction) and the issuer's page cannot load here: the stand-in marks the PaymentIntent
  // authenticated as the customer would, and what is tested is the server side around it.
  it("authenticates a PaymentIntent declined for authentication: confirmed again with the return URL, the issuer's page, then the same PaymentIntent succeeded", async () => {
    const declined = await charge((await savedCard("authentication_required", "cus_sca_pay")).gatewayRef, "inv_sca_pay:1");
    const chargeId = (declined as { chargeId: string }).chargeId;
    expect(declined).toMatchObject({ status: "failed", failureCode: "authentication_required", chargeId: expect.stringMatching(/^pi_/) });
    expect(await gateway.authentications.confirm({ chargeId })).toMatchObject({ status: "failed", failureCode: "authentication_required" });

    const step = await gateway.authentications.start({ chargeId, returnUrl: "http://localhost:3000/pay/tok/return" });
    expect(step).toEqual({ status: "requires_action", actionUrl: `https://hooks.stripe.test/3ds/${chargeId}`, framed: false });
    const pi = standIn.paymentIntents.find((p) => p.id === chargeId)!;
    expect(pi.next_action).toMatchObject({ redirect_to_url: { return_url: "http://localhost:3000/pay/tok/return" } });
    // Started again before the customer answered: the same step, no second confirmation.
    const confirmations = () => standIn.requests.filter((r) => r.path === `/v1/payment_intents/${chargeId}/confirm`).length;
    expect(await gateway.authentications.start({ chargeId, returnUrl: "http://localhost:3000/pay/tok/return" })).toEqual(step);
    expect(confirmations()).toBe(1);
    expect(await gateway.authentications.confirm({ chargeId })).toMatchObject({ status: "failed", failureCode: "authentication_required" });

    expect(standIn.authenticatePaymentIntent(chargeId)).toBe(true);
    expect(await gateway.authentications.confirm({ chargeId })).toEqual({ status: "succeeded", chargeId });
    expect(await gateway.authentications.start({ chargeId, returnUrl: "http://localhost:3000/pay/tok/return" })).toEqual({ status: "succeeded", chargeId });
    expect(confirmations()).toBe(1);
    expect(standIn.paymentIntents.filter((p) => (p.metadata as Record<string, string>).keizoku_idempotency_key === "inv_sca_pay:1")).toHaveLength(1);
  });

  it("a failed authentication leaves the PaymentIntent to be authenticated again; a succeeded one is not confirmed again", async () => {
    const declined = await charge((await savedCard("authentication_required", "cus_sca_fail")).gatewayRef, "inv_sca_fail:1");
    const chargeId = (declined as { chargeId: string }).chargeId;
    await gateway.authentications.start({ chargeId, returnUrl: "http://localhost:3000/return" });
    expect(standIn.authenticatePaymentIntent(chargeId, "failed")).toBe(true);
    expect(await gateway.authentications.confirm({ chargeId })).toMatchObject({ status: "failed", failureCode: "payment_intent_authentication_failure" });
    expect(await gateway.authentications.start({ chargeId, returnUrl: "http://localhost:3000/return" })).toMatchObject({ status: "requires_action", actionUrl: expect.stringContaining(chargeId) });
    expect(standIn.authenticatePaymentIntent(chargeId)).toBe(true);
    expect(await gateway.authentications.confirm({ chargeId })).toEqual({ status: "succeeded", chargeId });
    const soft = await charge((await savedCard("insufficient_funds", "cus_sca_soft")).gatewayRef, "inv_sca_soft:1");
    expect(await gateway.authentications.start({ chargeId: (soft as { chargeId: string }).chargeId, returnUrl: "http://localhost:3000/return" })).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
  });

  it("answers a repeated key with the first charge: one PaymentIntent at Stripe", async () => {
    const card = await savedCard("succeed", "cus_replay");
    const first = await charge(card.gatewayRef, "inv_replay:1");
    const second = await charge(card.gatewayRef, "inv_replay:1");
    expect(second).toEqual(first);
    expect(standIn.paymentIntents.filter((p) => (p.metadata as Record<string, string>).keizoku_idempotency_key === "inv_replay:1")).toHaveLength(1);
    expect(standIn.requests.filter((r) => r.idempotencyKey === "inv_replay:1").map((r) => r.replayed)).toEqual([false, true]);
  });

  it("finds a charge by its key (for attempts that got no answer), and says when there is none", async () => {
    const card = await savedCard("succeed", "cus_find");
    const done = await charge(card.gatewayRef, "inv_find:1");
    expect(await gateway.charges.find({ idempotencyKey: "inv_find:1" })).toEqual(done);
    expect(await gateway.charges.find({ idempotencyKey: "inv_never:1" })).toEqual({ status: "not_found" });
    const declined = await charge((await savedCard("insufficient_funds", "cus_find_declined")).gatewayRef, "inv_find_declined:1");
    expect(await gateway.charges.find({ idempotencyKey: "inv_find_declined:1" })).toMatchObject({ status: "failed", failureCode: "insufficient_funds", chargeId: (declined as { chargeId: string }).chargeId });
  });

  it("refunds with an idempotency key: once, however often asked", async () => {
    const card = await savedCard("succeed", "cus_refund");
    const paid = await charge(card.gatewayRef, "inv_refund:1", 5000);
    const chargeId = (paid as { chargeId: string }).chargeId;
    const first = await gateway.refund({ chargeId, amount: 2000, currency: "JPY", idempotencyKey: "refund_1" });
    const again = await gateway.refund({ chargeId, amount: 2000, currency: "JPY", idempotencyKey: "refund_1" });
    expect(first).toMatchObject({ status: "succeeded", refundId: expect.stringMatching(/^re_/) });
    expect(again).toEqual(first);
    expect(standIn.refunds.filter((r) => r.payment_intent === chargeId)).toHaveLength(1);
    const tooMuch = await gateway.refund({ chargeId, amount: 4000, currency: "JPY", idempotencyKey: "refund_2" });
    expect(tooMuch).toMatchObject({ status: "failed", failureCode: "charge_already_refunded" });
  });

  it("has no answer for a charge whose reply does not come in time (it throws, and the charge is found later)", async () => {
    const card = await savedCard("succeed", "cus_timeout");
    standIn.delayNextCharges(1, 3_000);
    await expect(charge(card.gatewayRef, "inv_timeout:1")).rejects.toThrow();
    expect(await gateway.charges.find({ idempotencyKey: "inv_timeout:1" })).toMatchObject({ status: "succeeded" });
  });

  describe("webhooks.parse", () => {
    const secret = "whsec_standin_test_secret";
    const account = (webhookSecret: string | null) => ({ id: stripeAccountId(secretKey), secretKey, publishableKey: null, webhookSecret });
    const parse = (body: string, header: string | null) => createStripeGateway(database.db, "mer_x", account(secret), { host: "127.0.0.1", port: standIn.port, protocol: "http" }, { baseUrl: "http://localhost:3000" }).webhooks.parse(body, header);
    const payload = JSON.stringify({ id: "evt_1", object: "event", type: "payment_intent.succeeded", data: { object: { id: "pi_1", object: "payment_intent" } } });

    it("accepts an event signed with the merchant's secret", () => {
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
      expect(parse(payload, header)).toMatchObject({ id: "evt_1", type: "payment_intent.succeeded" });
    });

    it("refuses a forged signature, another secret, a changed body and a missing header", () => {
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
      expect(() => parse(payload, header.replace(/v1=[0-9a-f]{4}/, "v1=0000"))).toThrow(Stripe.errors.StripeSignatureVerificationError);
      expect(() => parse(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" }))).toThrow(Stripe.errors.StripeSignatureVerificationError);
      expect(() => parse(payload.replace("pi_1", "pi_2"), header)).toThrow(Stripe.errors.StripeSignatureVerificationError);
      expect(() => parse(payload, null)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    });

    it("accepts nothing for an account with no signing secret", () => {
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
      expect(() => gateway.webhooks.parse(payload, header)).toThrow(WebhookSecretMissing);
    });

    it("refuses an event signed more than 300 s ago, and takes one 299 s old", () => {
      const now = Math.floor(Date.now() / 1000);
      const stale = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now - 301 });
      expect(() => parse(payload, stale)).toThrow(/tolerance/i);
      const recent = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now - 299 });
      expect(parse(payload, recent)).toMatchObject({ id: "evt_1" });
    });
  });
});
