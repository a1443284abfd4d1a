import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, customers, paymentMethods } from "@/db/schema";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { withGateway } from "@/test/support/platform";
import { fixedClock } from "./context";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createSubscription } from "./create-subscription";
import { createTestClock } from "./create-test-clock";
import { createTestClockCustomer } from "./create-test-clock-customer";

describe("createTestClockCustomer", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;
  const start = new Date("2027-01-10T03:00:00Z");
  // The real time is months away from the clock's: what the customer gets is the clock's.
  const realNow = new Date("2026-11-30T00:00:00Z");

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database, { now: realNow });
    other = await setupTestMerchant(database, { now: realNow });
  });
  afterAll(() => database.close());

  const customersOn = (clockId: string) => database.db.select().from(customers).where(eq(customers.testClockId, clockId));

  it("makes a customer on the clock, at its time, with the chosen test card saved as the default", async () => {
    const operator = await staffMemberOf(database, m, "operator", realNow);
    const clock = await createTestClock(operator, { name: "督促テスト", frozenTime: start });
    const { customer, paymentMethod } = await createTestClockCustomer(operator, { testClockId: clock.id, name: "  試験 花子 ", email: "Hanako@Example.jp", card: "decline" });
    expect(customer).toMatchObject({ name: "試験 花子", email: "hanako@example.jp", testClockId: clock.id, createdAt: start, defaultPaymentMethodId: null });
    expect(paymentMethod).toMatchObject({ customerId: customer.id, last4: "0341", brand: "visa", expYear: 2030, gateway: "sandbox", status: "active" });
    const [saved] = await database.db.select().from(customers).where(eq(customers.id, customer.id));
    expect(saved!.defaultPaymentMethodId).toBe(paymentMethod.id);
    // The card is the declining one: the first charge of a contract on it is refused.
    const product = await createProduct(m.ctx(), { name: "ヨガ" });
    const plan = await createPlan(m.ctx(), { productId: product.id, amount: 3300, interval: "month" });
    await expect(createSubscription(operator, { customerId: customer.id, planId: plan.id })).rejects.toMatchObject({ code: "payment_declined", details: { declineCode: "card_declined" } });
  });

  it("gives the succeeding card when none is chosen", async () => {
    const clock = await createTestClock(m.ctx(), { frozenTime: start });
    const { paymentMethod } = await createTestClockCustomer(m.ctx(), { testClockId: clock.id, name: "試験 太郎", email: "taro@example.jp" });
    expect(paymentMethod.last4).toBe("4242");
  });

  it("refuses a viewer, and leaves nothing behind", async () => {
    const clock = await createTestClock(m.ctx(), { frozenTime: start });
    const viewer = await staffMemberOf(database, m, "viewer", realNow);
    await expect(createTestClockCustomer(viewer, { testClockId: clock.id, name: "閲覧者", email: "viewer@example.jp", card: "succeed" })).rejects.toMatchObject({
      code: "forbidden",
      details: { reason: "role" },
    });
    expect(await customersOn(clock.id)).toEqual([]);
  });

  it.each([
    ["an email that is not one", { email: "not-an-email" }, "email"],
    ["an empty name", { name: "   " }, "name"],
    ["a card that is not a savable test card", { card: "declineOnAttach" }, "card"],
    ["no clock", { testClockId: "" }, "testClockId"],
  ])("refuses %s, naming the field, and leaves nothing behind", async (_, change, param) => {
    const clock = await createTestClock(m.ctx(), { frozenTime: start });
    const input = { testClockId: clock.id, name: "試験 次郎", email: "jiro@example.jp", card: "succeed", ...change };
    await expect(createTestClockCustomer(m.ctx(), input as never)).rejects.toMatchObject({ code: "invalid", details: { param } });
    expect(await customersOn(clock.id)).toEqual([]);
  });

  it("does not put a customer on another merchant's clock", async () => {
    const theirs = await createTestClock(other.ctx(), { frozenTime: start });
    await expect(createTestClockCustomer(m.ctx(), { testClockId: theirs.id, name: "侵入者", email: "x@example.jp" })).rejects.toMatchObject({ code: "not_found" });
    expect(await customersOn(theirs.id)).toEqual([]);
  });

  it("refuses when the payment gateway has no test cards, before making the customer", async () => {
    const clock = await createTestClock(m.ctx(), { frozenTime: start });
    const live = { name: "stripe", setupCard: () => Promise.reject(new Error("not called")), charge: () => Promise.reject(new Error("not called")), refund: () => Promise.reject(new Error("not called")) } as PaymentGateway;
    await expect(createTestClockCustomer(withGateway(m.ctx(), live), { testClockId: clock.id, name: "試験 三郎", email: "saburo@example.jp" })).rejects.toMatchObject({
      code: "invalid",
      details: { param: "card", reason: "sandbox_only" },
    });
    expect(await customersOn(clock.id)).toEqual([]);
  });

  it("is audited as the customer's creation and the card's saving, at the clock's time", async () => {
    const clock = await createTestClock(m.ctx(fixedClock(realNow)), { frozenTime: start });
    const { customer, paymentMethod } = await createTestClockCustomer(m.ctx(), { testClockId: clock.id, name: "試験 四郎", email: "shiro@example.jp", card: "insufficientFunds" });
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, customer.id));
    expect(events.map((e) => [e.action, e.occurredAt])).toEqual([["customer.created", start]]);
    const [card] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethod.id));
    expect(card!.last4).toBe("9995");
  });
});
