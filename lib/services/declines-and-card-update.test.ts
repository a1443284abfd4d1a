import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, rejection, setupClockCustomer, setupTestMerchant, signedUpContract, type TestMerchant } from "@/test/support/merchant";
import { addPaymentMethod } from "./add-payment-method";
import { advanceTestClock } from "./advance-test-clock";
import { createSubscription } from "./create-subscription";
import { updateSubscriptionPaymentMethod } from "./update-payment-method";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

async function newCard(m: TestMerchant, customerId: string, number: string, at: Date, expiry = { expMonth: 12, expYear: 2035 }) {
  const token = await m.gateway.testControls.createToken({ number, cvc: "123", ...expiry }, at);
  return addPaymentMethod(m.ctx(), { customerId, token: token.id, makeDefault: false });
}

describe("hard declines", () => {
  it("a lost card skips the retries: unpaid at once, the dunning timeline, a mail asking for a new card", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "lost_card");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "unpaid", unpaidSince: jst("2027-02-10T00:00:00"), overdueInvoiceId: h.invoices.at(-1)!.id });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([
      ["dunning_notice", jst("2027-02-11T00:00:00")],
      ["dunning_notice", jst("2027-04-11T00:00:00")],
      ["dunning_notice", jst("2027-04-18T00:00:00")],
      ["withdrawal", jst("2027-04-18T01:00:00")],
    ]);
    const failedMail = h.mails.find((x) => x.template === "charge_failed")!;
    expect(failedMail.variables).toMatchObject({ decline: "hard", failure_code: "lost_card" });
    expect(failedMail.links).toEqual({ card_update: subscription.id });
    expect(h.attempts.at(-1)).toMatchObject({ status: "failed" });
  });

  it("a card whose expiry month has passed, in the contract's own time, is declined as expired_card", async () => {
    const m = await setupTestMerchant(database);
    const setup = await setupClockCustomer(m, { start: jst("2027-01-10T12:00:00"), plan: { amount: 3000, interval: "month" } });
    const expiring = await newCard(m, setup.customer.id, "4242424242424242", jst("2027-01-10T12:00:00"), { expMonth: 2, expYear: 2027 });
    const subscription = await createSubscription(m.ctx(), { customerId: setup.customer.id, planId: setup.plan.id, paymentMethodId: expiring.id });
    await advanceTestClock(m.ctx(), { testClockId: setup.clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    expect((await contractHistory(database, subscription.id)).invoices.map((i) => i.status)).toEqual(["paid", "paid"]);
    await advanceTestClock(m.ctx(), { testClockId: setup.clock.id, frozenTime: jst("2027-03-10T12:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("unpaid");
    expect(h.mails.find((x) => x.template === "charge_failed")!.variables).toMatchObject({ decline: "hard", failure_code: "expired_card" });
  });

  it("a soft decline (insufficient funds) follows the retry schedule", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "insufficient_funds");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("past_due");
    expect(h.pending.map((a) => a.kind)).toEqual(["retry", "retry"]);
  });
});

describe("card update", () => {
  it("retries what a past-due contract owes at once on the new card, and returns it to active", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod, customer } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-12T09:00:00") });
    const card = await newCard(m, customer.id, "5555555555554444", jst("2027-02-12T09:00:00"));
    const updated = await updateSubscriptionPaymentMethod(m.ctx(), { subscriptionId: subscription.id, paymentMethodId: card.id });
    expect(updated).toMatchObject({ status: "active", paymentMethodId: card.id, overdueInvoiceId: null, paidThrough: jst("2027-03-12T00:00:00") });
    const h = await contractHistory(database, subscription.id);
    expect(h.attempts.at(-1)).toMatchObject({ trigger: "card_update", status: "succeeded", amount: 3000 });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-03-12T00:00:00")]]);
  });

  it("an incomplete contract starts its first period when the new card pays", async () => {
    const m = await setupTestMerchant(database);
    const setup = await setupClockCustomer(m, { start: jst("2027-01-10T12:00:00"), card: "4000000000000341", plan: { amount: 3000, interval: "month" } });
    const declined = await rejection(createSubscription(m.ctx(), { customerId: setup.customer.id, planId: setup.plan.id }));
    const id = declined.details.subscriptionId!;
    await advanceTestClock(m.ctx(), { testClockId: setup.clock.id, frozenTime: jst("2027-01-11T09:00:00") });
    const card = await newCard(m, setup.customer.id, "4242424242424242", jst("2027-01-11T09:00:00"));
    const updated = await updateSubscriptionPaymentMethod(m.ctx(), { subscriptionId: id, paymentMethodId: card.id });
    expect(updated).toMatchObject({ status: "active", paidThrough: jst("2027-02-10T00:00:00") });
  });

  it("a declined retry on the new card is reported; the new card stays; a hard decline there asks again", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod, customer } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-12T09:00:00") });
    const stolen = await newCard(m, customer.id, "4000000000009987", jst("2027-02-12T09:00:00"));
    const declined = await rejection(updateSubscriptionPaymentMethod(m.ctx(), { subscriptionId: subscription.id, paymentMethodId: stolen.id }));
    expect(declined).toMatchObject({ code: "payment_declined", details: { declineCode: "lost_card", declineKind: "hard", subscriptionId: subscription.id } });
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ paymentMethodId: stolen.id, status: "unpaid" });
    expect(h.pending.map((a) => a.kind)).toEqual(["dunning_notice", "dunning_notice", "dunning_notice", "withdrawal"]);
  });

  it("an active contract just changes card; another customer's card is not found", async () => {
    const m = await setupTestMerchant(database);
    const { subscription, customer } = await signedUpContract(m);
    const card = await newCard(m, customer.id, "4242424242424242", jst("2027-01-10T12:00:00"));
    expect(await updateSubscriptionPaymentMethod(m.ctx(), { subscriptionId: subscription.id, paymentMethodId: card.id })).toMatchObject({ status: "active", paymentMethodId: card.id });
    expect((await contractHistory(database, subscription.id)).attempts).toHaveLength(1);
    const other = await signedUpContract(m);
    expect(await rejection(updateSubscriptionPaymentMethod(m.ctx(), { subscriptionId: subscription.id, paymentMethodId: other.paymentMethod.id }))).toMatchObject({ code: "not_found", details: { param: "payment_method" } });
  });
});
