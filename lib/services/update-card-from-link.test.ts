import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { invoices, paymentAttempts, paymentMethods, sandboxCharges } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox-cards";
import { contractHistory, jst, rejection, signedUpContract, type TestMerchant, setupTestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { advanceTestClock } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { endUserContext } from "./contexts";
import { createCustomer } from "./create-customer";
import { getCardUpdateView } from "./queries/card-update";
import { updateCardFromLink } from "./update-card-from-link";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

const customerCtx = (m: TestMerchant, customerId: string) => endUserContext(testPlatform(database.db, { gateway: m.gateway }), { merchantId: m.merchantId, customerId });
/** What the gateway's card form (hosted fields) hands the page: a one-time token, never the number. */
const tokenOf = async (m: TestMerchant, number: string, over: Partial<{ expMonth: number; expYear: number }> = {}) =>
  (await m.gateway.testControls.createToken({ number, expMonth: 12, expYear: 2035, cvc: "123", ...over }, jst("2027-02-12T09:00:00"))).id;

/** A contract past due on the test clock: its renewal of 2027-02-10 declined (insufficient funds), ¥3,000 owed. */
async function pastDue(m: TestMerchant) {
  const contract = await signedUpContract(m);
  await m.gateway.testControls.setCardBehavior(contract.paymentMethod.gatewayRef, "insufficient_funds");
  await advanceTestClock(m.ctx(), { testClockId: contract.clock.id, frozenTime: jst("2027-02-12T09:00:00") });
  const h = await contractHistory(database, contract.subscription.id);
  expect(h.sub.status).toBe("past_due");
  return { ...contract, owedInvoiceId: h.sub.overdueInvoiceId! };
}

/** Charges the sandbox booked for an invoice (through its attempts' idempotency keys). */
async function gatewayCharges(invoiceId: string) {
  const keys = await database.db.select({ key: paymentAttempts.idempotencyKey }).from(paymentAttempts).where(eq(paymentAttempts.invoiceId, invoiceId));
  return database.db.select().from(sandboxCharges).where(inArray(sandboxCharges.idempotencyKey, keys.map((k) => k.key)));
}

describe("updateCardFromLink", () => {
  it("saves the customer's new card on their past-due contract and pays what it owes at once: active again", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer, owedInvoiceId } = await pastDue(m);
    const ctx = customerCtx(m, customer.id);
    expect(await getCardUpdateView(ctx, subscription.id)).toMatchObject({ status: "past_due", owed: { amount: 3000, currency: "jpy" }, changeable: true, card: { last4: "4242" } });
    const result = await updateCardFromLink(ctx, { subscriptionId: subscription.id, token: await tokenOf(m, "5555555555554444", { expMonth: 3, expYear: 2031 }) });
    expect(result).toEqual({ card: { brand: "mastercard", last4: "4444", expMonth: 3, expYear: 2031 }, status: "active", paid: { invoiceId: owedInvoiceId, amount: 3000, currency: "jpy" } });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", overdueInvoiceId: null });
    expect(h.attempts.at(-1)).toMatchObject({ trigger: "card_update", status: "succeeded", amount: 3000 });
    expect(await gatewayCharges(owedInvoiceId)).toHaveLength(2); // the declined renewal, then the card update's
    expect(await getCardUpdateView(ctx, subscription.id)).toMatchObject({ status: "active", owed: null, card: { last4: "4444", expMonth: 3, expYear: 2031 } });
  });

  it("an active contract owes nothing: the card is changed, nothing is charged", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer } = await signedUpContract(m);
    const before = (await contractHistory(database, subscription.id)).attempts.length;
    const result = await updateCardFromLink(customerCtx(m, customer.id), { subscriptionId: subscription.id, token: await tokenOf(m, "4242424242424242") });
    expect(result).toMatchObject({ status: "active", paid: null });
    expect((await contractHistory(database, subscription.id)).attempts).toHaveLength(before);
  });

  it("refuses the customer of another contract as if the contract did not exist, changing nothing", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer } = await pastDue(m);
    const stranger = await createCustomer(m.ctx(), { email: "other@example.jp", name: "他人 花子" });
    const ctx = customerCtx(m, stranger.id);
    const error = await rejection(updateCardFromLink(ctx, { subscriptionId: subscription.id, token: await tokenOf(m, "4242424242424242") }));
    expect(error.code).toBe("not_found");
    expect((await rejection(getCardUpdateView(ctx, subscription.id))).code).toBe("not_found");
    const cards = await database.db.select().from(paymentMethods).where(inArray(paymentMethods.customerId, [customer.id, stranger.id]));
    expect(cards.map((c) => c.last4)).toEqual(["4242"]);
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("past_due");
    // Nor does a merchant's link reach another merchant's contract.
    const other = await setupTestMerchant(database);
    const foreign = endUserContext(testPlatform(database.db, { gateway: other.gateway }), { merchantId: other.merchantId, customerId: customer.id });
    expect((await rejection(updateCardFromLink(foreign, { subscriptionId: subscription.id, token: await tokenOf(m, "4242424242424242") }))).code).toBe("not_found");
  });

  it("a card refused when saved is a decline: nothing saved, the contract still owes", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer } = await pastDue(m);
    const error = await rejection(updateCardFromLink(customerCtx(m, customer.id), { subscriptionId: subscription.id, token: await tokenOf(m, "4000000000000002") }));
    expect(error).toMatchObject({ code: "payment_declined", details: { declineCode: "card_declined", param: "token" } });
    expect(error.details.invoiceId).toBeUndefined();
    expect(await database.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id))).toHaveLength(1);
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("past_due");
  });

  it("a new card declined for what is owed is kept, and the decline reported with the invoice", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer, owedInvoiceId } = await pastDue(m);
    const error = await rejection(updateCardFromLink(customerCtx(m, customer.id), { subscriptionId: subscription.id, token: await tokenOf(m, "4000000000009995") }));
    expect(error).toMatchObject({ code: "payment_declined", details: { declineCode: "insufficient_funds", declineKind: "soft", invoiceId: owedInvoiceId } });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("past_due");
    const [current] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, h.sub.paymentMethodId!));
    expect(current!.last4).toBe("9995");
  });

  it("two cards sent (two tabs) pay what is owed once: one after the other, and both at once", async () => {
    for (const together of [false, true]) {
      const m = await setupTestMerchant(database);
      const { subscription, customer, owedInvoiceId } = await pastDue(m);
      const ctx = customerCtx(m, customer.id);
      const tokens = [await tokenOf(m, "4242424242424242"), await tokenOf(m, "5555555555554444")];
      const submit = () => updateCardFromLink(ctx, { subscriptionId: subscription.id, token: tokens.shift()! });
      const results = together ? await Promise.all([submit(), submit()]) : [await submit(), await submit()];
      expect(results.map((r) => r.status)).toEqual(["active", "active"]);
      if (!together) expect(results.map((r) => r.paid?.amount ?? null)).toEqual([3000, null]);
      const succeeded = (await gatewayCharges(owedInvoiceId)).filter((c) => c.outcome === "succeeded");
      expect(succeeded, together ? "at once" : "one after the other").toHaveLength(1);
      const attempts = await database.db.select().from(paymentAttempts).where(and(eq(paymentAttempts.invoiceId, owedInvoiceId), eq(paymentAttempts.status, "succeeded")));
      expect(attempts).toHaveLength(1);
      const [invoice] = await database.db.select().from(invoices).where(eq(invoices.id, owedInvoiceId));
      expect(invoice!.status).toBe("paid");
    }
  });

  it("an ended contract's card cannot be changed", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer } = await signedUpContract(m);
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, atPeriodEnd: false });
    const ctx = customerCtx(m, customer.id);
    expect(await getCardUpdateView(ctx, subscription.id)).toMatchObject({ status: "canceled", changeable: false, owed: null });
    const error = await rejection(updateCardFromLink(ctx, { subscriptionId: subscription.id, token: await tokenOf(m, "4242424242424242") }));
    expect(error).toMatchObject({ code: "conflict", details: { reason: "contract_ended" } });
    expect(await database.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id))).toHaveLength(1);
  });

  it("takes only a token: a card number, an unknown or a used token is refused, and nothing is saved", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer } = await pastDue(m);
    const ctx = customerCtx(m, customer.id);
    const numbers = { subscriptionId: subscription.id, card: { number: "4242424242424242", expMonth: "12", expYear: "35", cvc: "123" } };
    expect(await rejection(updateCardFromLink(ctx, numbers as never))).toMatchObject({ code: "invalid", details: { param: "token" } });
    expect(await rejection(updateCardFromLink(ctx, { subscriptionId: subscription.id, token: "tok_unknown" }))).toMatchObject({ code: "invalid", details: { param: "token", reason: "token_not_found" } });
    const used = await tokenOf(m, "4242424242424242");
    await updateCardFromLink(ctx, { subscriptionId: subscription.id, token: used });
    expect(await rejection(updateCardFromLink(ctx, { subscriptionId: subscription.id, token: used }))).toMatchObject({ code: "invalid", details: { param: "token", reason: "token_already_used" } });
    expect(await database.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id))).toHaveLength(2);
  });

  it("3-D Secure approved: nothing is saved until the customer answers; the same token then saves the card and pays what is owed", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer, owedInvoiceId } = await pastDue(m);
    const ctx = customerCtx(m, customer.id);
    const token = await tokenOf(m, SANDBOX_TEST_CARDS.authenticationRequired);
    const asked = await rejection(updateCardFromLink(ctx, { subscriptionId: subscription.id, token }));
    expect(asked).toMatchObject({ code: "payment_declined", details: { reason: "authentication_required", actionUrl: `/sandbox-gateway/challenge/${token}` } });
    expect(await database.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id))).toHaveLength(1);
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("past_due");

    expect(await m.gateway.authentication.complete(token, "succeeded")).toBe(true);
    const result = await updateCardFromLink(ctx, { subscriptionId: subscription.id, token });
    expect(result).toEqual({ card: { brand: "visa", last4: "3155", expMonth: 12, expYear: 2035 }, status: "active", paid: { invoiceId: owedInvoiceId, amount: 3000, currency: "jpy" } });
    expect((await contractHistory(database, subscription.id)).attempts.at(-1)).toMatchObject({ trigger: "card_update", status: "succeeded", amount: 3000 });
  });

  it("3-D Secure failed: refused, nothing saved, still owed; another card then pays", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer, owedInvoiceId } = await pastDue(m);
    const ctx = customerCtx(m, customer.id);
    const token = await tokenOf(m, SANDBOX_TEST_CARDS.authenticationRequired);
    await rejection(updateCardFromLink(ctx, { subscriptionId: subscription.id, token }));
    expect(await m.gateway.authentication.complete(token, "failed")).toBe(true);
    expect(await rejection(updateCardFromLink(ctx, { subscriptionId: subscription.id, token }))).toMatchObject({ code: "payment_declined", details: { declineCode: "authentication_failed" } });
    expect(await database.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, customer.id))).toHaveLength(1);
    expect((await contractHistory(database, subscription.id)).sub.status).toBe("past_due");
    const result = await updateCardFromLink(ctx, { subscriptionId: subscription.id, token: await tokenOf(m, "4242424242424242") });
    expect(result).toMatchObject({ status: "active", paid: { invoiceId: owedInvoiceId, amount: 3000 } });
  });
});
