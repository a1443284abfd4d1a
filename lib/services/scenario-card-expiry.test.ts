import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { mails, scheduledActions } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { addPaymentMethod } from "./add-payment-method";
import { advanceTestClock } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { createSubscription } from "./create-subscription";
import { jst, setupClockCustomer, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";

/** 2027-03-01 00:00 in Tokyo. */
const NOTICE_AT = new Date("2027-02-28T15:00:00Z");

/** A customer on a test clock with a card that expires in March 2027, the only card on file. */
async function customerWithExpiringCard(m: TestMerchant, start: Date) {
  const setup = await setupClockCustomer(m, { start, plan: { amount: 3000, interval: "month" } });
  const token = await m.gateway.testControls.createToken({ number: "4242 4242 4242 4242", expMonth: 3, expYear: 2027, cvc: "123" }, start);
  const card = await addPaymentMethod(m.ctx(), { customerId: setup.customer.id, token: token.id });
  expect(card).toMatchObject({ expMonth: 3, expYear: 2027, last4: "4242" });
  return { ...setup, card };
}

async function cardExpiringMails(database: Database, merchantId: string) {
  return database.db
    .select()
    .from(mails)
    .where(and(eq(mails.merchantId, merchantId), eq(mails.template, "card_expiring")));
}

async function expiryActions(database: Database, paymentMethodId: string) {
  return database.db
    .select()
    .from(scheduledActions)
    .where(and(eq(scheduledActions.paymentMethodId, paymentMethodId), eq(scheduledActions.kind, "card_expiry_notice")));
}

describe("scenario (e): the card-expiry notice is sent once", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("sends one card_expiring mail at 00:00 Tokyo on the 1st of the expiry month, however often the clock moves past it", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, customer, plan, card } = await customerWithExpiringCard(m, jst("2027-01-10T12:00:00"));
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    expect(subscription.paymentMethodId).toBe(card.id);
    expect((await expiryActions(database, card.id)).map((a) => [a.status, a.dueAt])).toEqual([["pending", NOTICE_AT]]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: new Date(NOTICE_AT.getTime() - 1) });
    expect(await cardExpiringMails(database, m.merchantId)).toEqual([]);

    for (const to of [NOTICE_AT, jst("2027-03-01T12:00:00"), jst("2027-03-15T00:00:00"), jst("2027-04-01T00:00:00"), jst("2027-06-01T00:00:00")]) {
      await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: to });
      const sent = await cardExpiringMails(database, m.merchantId);
      expect(sent.map((x) => [x.queuedAt, x.subscriptionId, x.toAddress])).toEqual([[NOTICE_AT, subscription.id, "member@example.jp"]]);
    }
    expect((await expiryActions(database, card.id)).map((a) => [a.status, a.outcome])).toEqual([["done", "mail_queued"]]);
  });

  it("sends one mail for a card that backs two contracts", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, customer, plan, card } = await customerWithExpiringCard(m, jst("2027-01-10T12:00:00"));
    const first = await createSubscription(ctx, { customerId: customer.id, planId: plan.id, paymentMethodId: card.id });
    const second = await createSubscription(ctx, { customerId: customer.id, planId: plan.id, paymentMethodId: card.id });
    expect([first.status, second.status]).toEqual(["active", "active"]);

    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-03-02T00:00:00") });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-05-02T00:00:00") });
    const sent = await cardExpiringMails(database, m.merchantId);
    expect(sent.map((x) => x.queuedAt)).toEqual([NOTICE_AT]);
    expect([first.id, second.id]).toContain(sent[0]!.subscriptionId);
  });

  it("sends none for a card that backs only a canceled contract, or no contract at all", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, customer, plan, card } = await customerWithExpiringCard(m, jst("2027-01-10T12:00:00"));
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-02-01T00:00:00") });
    await cancelSubscription(ctx, { subscriptionId: subscription.id, atPeriodEnd: false });

    const spare = await customerWithExpiringCard(m, jst("2027-01-10T12:00:00"));
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-04-01T00:00:00") });
    await advanceTestClock(ctx, { testClockId: spare.clock.id, frozenTime: jst("2027-04-01T00:00:00") });

    expect(await cardExpiringMails(database, m.merchantId)).toEqual([]);
    expect((await expiryActions(database, card.id)).map((a) => [a.status, a.outcome])).toEqual([["skipped", "skipped_no_live_contract"]]);
    expect((await expiryActions(database, spare.card.id)).map((a) => [a.status, a.outcome])).toEqual([["skipped", "skipped_no_live_contract"]]);
  });

  it("still notifies while a contract set to cancel at period end is live on the 1st", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, customer, plan } = await customerWithExpiringCard(m, jst("2027-02-20T12:00:00"));
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    await cancelSubscription(ctx, { subscriptionId: subscription.id });
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-04-01T00:00:00") });
    expect((await cardExpiringMails(database, m.merchantId)).map((x) => x.queuedAt)).toEqual([NOTICE_AT]);
  });

  it("sends none for a card attached after its notice time", async () => {
    const m = await setupTestMerchant(database);
    const ctx = m.ctx();
    const { clock, customer, plan, card } = await customerWithExpiringCard(m, jst("2027-03-05T12:00:00"));
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    expect(subscription).toMatchObject({ status: "active", paymentMethodId: card.id });
    expect(await expiryActions(database, card.id)).toEqual([]);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst("2027-04-02T00:00:00") });
    expect(await cardExpiringMails(database, m.merchantId)).toEqual([]);
  });

  it("follows the merchant's time zone", async () => {
    const m = await setupTestMerchant(database, { timeZone: "America/Los_Angeles" });
    const ctx = m.ctx();
    const { clock, customer, plan, card } = await customerWithExpiringCard(m, new Date("2027-01-10T20:00:00Z"));
    await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
    const localMidnight = new Date("2027-03-01T08:00:00Z");
    expect((await expiryActions(database, card.id)).map((a) => a.dueAt)).toEqual([localMidnight]);
    await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: new Date("2027-03-10T00:00:00Z") });
    expect((await cardExpiringMails(database, m.merchantId)).map((x) => x.queuedAt)).toEqual([localMidnight]);
  });
});
