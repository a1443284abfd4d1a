import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, customers, invoices, mails, paymentMethods, plans, subscriptions } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox";
import { openTestDatabase } from "@/test/support/database";
import { jst, rejection, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { completeCheckout } from "./complete-checkout";
import { createCheckoutLink } from "./create-checkout-link";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { fixedClock } from "./context";
import { staffContext } from "./contexts";
import { loadCheckoutPage } from "./queries/checkout-links";
import { setCheckoutLinkActive } from "./set-checkout-link-active";

const NOW = jst("2027-01-10T12:00:00");

describe("hosted checkout: links, the confirmation's numbers, sign-up with 3-D Secure", () => {
  let database: Database;
  let m: TestMerchant;
  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database, { now: NOW });
  });
  afterAll(async () => database.close());

  async function newLink(plan: Parameters<typeof createPlan>[1] extends infer P ? Omit<Extract<P, object>, "productId"> : never, collect = { phone: false, address: false }) {
    const product = await createProduct(m.ctx(), { name: "ヨガ教室 月謝" });
    const created = await createPlan(m.ctx(), { ...plan, productId: product.id });
    return createCheckoutLink(m.ctx(), { planId: created.id, collect, successUrl: "https://shop.example.jp/thanks" });
  }
  const token = async (number: string = SANDBOX_TEST_CARDS.succeed) => (await m.gateway.testControls.createToken({ number, expMonth: 12, expYear: 2035, cvc: "123" }, NOW)).id;
  const person = { name: "山田　花子", email: "Hanako@Example.jp", consent: true as const };

  it("makes links only for the merchant's active plans, and only for roles that sign customers up", async () => {
    const link = await newLink({ amount: 3000, interval: "month" });
    expect(link).toMatchObject({ id: expect.stringMatching(/^chk_/), successUrl: "https://shop.example.jp/thanks", active: true });
    expect((await rejection(createCheckoutLink(m.ctx(), { planId: "plan_nope" }))).code).toBe("not_found");
    expect((await rejection(createCheckoutLink(m.ctx(), { planId: link.planId, successUrl: "javascript:alert(1)" }))).details.param).toBe("successUrl");
    const viewer = staffContext(m.ctx(), { merchantId: m.merchantId, staffUserId: "usr_v", role: "viewer" });
    expect((await rejection(createCheckoutLink(viewer, { planId: link.planId }))).code).toBe("forbidden");
    const operator = staffContext(m.ctx(), { merchantId: m.merchantId, staffUserId: "usr_o", role: "operator" });
    expect((await createCheckoutLink(operator, { planId: link.planId })).planId).toBe(link.planId);
  });

  it("quotes a trial with a joining fee and a billing day: first charge at the trial's end, prorated, then monthly on the 1st", async () => {
    const link = await newLink({ amount: 3000, interval: "month", billingDay: 1, trialDays: 14, joiningFee: 1100, taxBehavior: "inclusive", firstPeriod: "prorate" });
    const page = (await loadCheckoutPage(database.db, link.id, NOW))!;
    expect(page.quote.trialEndsOn).toBe("2027-01-23");
    // The trial ends on Jan 24; Jan 24 – Feb 1 is 8 of January's 31 days: ⌊3000 × 8 / 31⌋ = 774, plus the joining fee.
    expect(page.quote.first).toMatchObject({ date: "2027-01-24", atSignUp: false, total: 774 + 1100 });
    expect(page.quote.first.lines.map((l) => l.kind).sort()).toEqual(["joining_fee", "proration"]);
    expect(page.quote.recurring).toMatchObject({ date: "2027-02-01", total: 3000, tax: 272 });
    expect(page.quote.thenOn).toEqual(["2027-03-01", "2027-04-01"]);
    expect(page.quote.billingAnchor).toBe(1);
  });

  it("quotes a plan that charges at sign-up, with tax added on top", async () => {
    const link = await newLink({ amount: 1000, interval: "month", taxBehavior: "exclusive" });
    const { quote } = (await loadCheckoutPage(database.db, link.id, NOW))!;
    expect(quote.first).toMatchObject({ date: "2027-01-10", atSignUp: true, subtotal: 1000, tax: 100, total: 1100 });
    expect(quote.recurring).toMatchObject({ date: "2027-02-10", total: 1100 });
  });

  it("signs a customer up: customer with a hashed password, card, contract paid, welcome mail queued", async () => {
    const link = await newLink({ amount: 2000, interval: "month" }, { phone: true, address: true });
    const done = await completeCheckout(m.ctx(), {
      ...person,
      linkId: link.id,
      token: await token(),
      phone: "０９０－１２３４－５６７８",
      address: { postalCode: "１５０－０００１", prefecture: "東京都", city: "渋谷区", line1: "神宮前1-2-3" },
      password: "correct horse battery",
    });
    expect(done).toMatchObject({ status: "active", successUrl: "https://shop.example.jp/thanks" });
    const [customer] = await database.db.select().from(customers).where(eq(customers.id, done.customerId));
    expect(customer).toMatchObject({ name: "山田 花子", email: "hanako@example.jp", phone: "090-1234-5678", address: { postalCode: "150-0001", prefecture: "東京都" } });
    expect(await verifyPassword(customer!.passwordHash!, "correct horse battery")).toBe(true);
    const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, done.subscriptionId));
    expect(sub).toMatchObject({ customerId: done.customerId, planId: link.planId, status: "active" });
    const mailRows = await database.db.select().from(mails).where(eq(mails.subscriptionId, done.subscriptionId));
    expect(mailRows.map((r) => r.template)).toContain("welcome");
  });

  it("refuses missing details the link asks for, and a missing consent, writing nothing", async () => {
    const link = await newLink({ amount: 2000, interval: "month" }, { phone: true, address: false });
    const before = (await database.db.select().from(customers).where(eq(customers.merchantId, m.merchantId))).length;
    expect((await rejection(completeCheckout(m.ctx(), { ...person, linkId: link.id, token: await token() }))).details.param).toBe("phone");
    expect((await rejection(completeCheckout(m.ctx(), { ...person, consent: false as unknown as true, linkId: link.id, token: await token(), phone: "09012345678" }))).details.param).toBe("consent");
    expect((await database.db.select().from(customers).where(eq(customers.merchantId, m.merchantId))).length).toBe(before);
  });

  it("a card refused when saved writes nothing, and another card then succeeds", async () => {
    const link = await newLink({ amount: 2000, interval: "month" });
    const before = (await database.db.select().from(customers).where(eq(customers.merchantId, m.merchantId))).length;
    const refused = await rejection(completeCheckout(m.ctx(), { ...person, linkId: link.id, token: await token(SANDBOX_TEST_CARDS.declineOnAttach) }));
    expect(refused).toMatchObject({ code: "payment_declined", details: { declineCode: "card_declined" } });
    expect((await database.db.select().from(customers).where(eq(customers.merchantId, m.merchantId))).length).toBe(before);
    expect((await completeCheckout(m.ctx(), { ...person, linkId: link.id, token: await token() })).status).toBe("active");
  });

  it("a first charge declined on a saved card: the next card, sent with the continuation, pays that contract — one customer, one contract", async () => {
    const link = await newLink({ amount: 2000, interval: "month" });
    const email = "declined-first@example.jp";
    const ofEmail = async () => database.db.select().from(customers).where(eq(customers.email, email));

    const declined = await rejection(completeCheckout(m.ctx(), { ...person, email, linkId: link.id, token: await token(SANDBOX_TEST_CARDS.decline) }));
    expect(declined).toMatchObject({ code: "payment_declined", details: { declineCode: "card_declined", continuation: expect.any(String) } });
    const [customer] = await ofEmail();
    const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer!.id));
    expect(sub).toMatchObject({ status: "incomplete", planId: link.planId });

    // Declined again on another card: still the same contract, and a fresh continuation.
    const again = await rejection(completeCheckout(m.ctx(), { ...person, email, linkId: link.id, token: await token(SANDBOX_TEST_CARDS.insufficientFunds), continuation: declined.details.continuation }));
    expect(again).toMatchObject({ code: "payment_declined", details: { declineCode: "insufficient_funds", subscriptionId: sub!.id, continuation: expect.any(String) } });

    // The details typed with the last card are the ones kept.
    const done = await completeCheckout(m.ctx(), { ...person, name: "山田 春子", email, linkId: link.id, token: await token(), password: "a new password 1", continuation: again.details.continuation });
    expect(done).toMatchObject({ subscriptionId: sub!.id, customerId: customer!.id, status: "active" });
    const after = await ofEmail();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ name: "山田 春子" });
    expect(await verifyPassword(after[0]!.passwordHash!, "a new password 1")).toBe(true);
    expect(await database.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer!.id))).toHaveLength(1);
    const billed = await database.db.select().from(invoices).where(eq(invoices.subscriptionId, sub!.id));
    expect(billed.map((i) => [i.status, i.total])).toEqual([["paid", 2000]]);
    const [card] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, (await database.db.select().from(subscriptions).where(eq(subscriptions.id, sub!.id)))[0]!.paymentMethodId!));
    expect(card!.last4).toBe("4242");

    // The answer lost and the continuation sent again: done, nothing charged twice.
    expect(await completeCheckout(m.ctx(), { ...person, email, linkId: link.id, token: await token(), continuation: again.details.continuation })).toMatchObject({ subscriptionId: sub!.id, status: "active" });
    expect(await database.db.select().from(invoices).where(eq(invoices.subscriptionId, sub!.id))).toHaveLength(1);
  });

  it("a continuation that is tampered with, expired, or for another link's plan is refused and changes nothing", async () => {
    const link = await newLink({ amount: 2000, interval: "month" });
    const other = await newLink({ amount: 5000, interval: "month" });
    const email = "continuation-refused@example.jp";
    const declined = await rejection(completeCheckout(m.ctx(), { ...person, email, linkId: link.id, token: await token(SANDBOX_TEST_CARDS.decline) }));
    const continuation = declined.details.continuation!;
    const customersBefore = (await database.db.select().from(customers).where(eq(customers.merchantId, m.merchantId))).length;
    const subsBefore = (await database.db.select().from(subscriptions).where(eq(subscriptions.merchantId, m.merchantId))).length;
    // One at a time: each refusal is awaited as it is made.
    const refusals = [
      async () => completeCheckout(m.ctx(), { ...person, email, linkId: link.id, token: await token(), continuation: `${continuation.slice(0, -2)}xx` }),
      async () => completeCheckout(m.ctx(fixedClock(new Date(NOW.getTime() + 61 * 60_000))), { ...person, email, linkId: link.id, token: await token(), continuation }),
      async () => completeCheckout(m.ctx(), { ...person, email, linkId: other.id, token: await token(), continuation }),
    ];
    for (const refuse of refusals) expect(await rejection(refuse())).toMatchObject({ code: "invalid", details: { param: "continuation", reason: "continuation_expired" } });
    expect((await database.db.select().from(customers).where(eq(customers.merchantId, m.merchantId))).length).toBe(customersBefore);
    expect((await database.db.select().from(subscriptions).where(eq(subscriptions.merchantId, m.merchantId))).length).toBe(subsBefore);
    expect((await database.db.select().from(subscriptions).where(eq(subscriptions.id, declined.details.subscriptionId!)))[0]!.status).toBe("incomplete");
  });

  it("3-D Secure: the setup waits for the challenge; approved, the same token signs up; failed, it is refused", async () => {
    const link = await newLink({ amount: 2000, interval: "month" });
    const approved = await token(SANDBOX_TEST_CARDS.authenticationRequired);
    const first = await rejection(completeCheckout(m.ctx(), { ...person, linkId: link.id, token: approved }));
    expect(first).toMatchObject({ code: "payment_declined", details: { reason: "authentication_required", actionUrl: `/sandbox-gateway/challenge/${approved}` } });
    expect(await m.gateway.authentication.complete(approved, "succeeded")).toBe(true);
    // Answered once: the challenge cannot be answered again.
    expect(await m.gateway.authentication.complete(approved, "failed")).toBe(false);
    const done = await completeCheckout(m.ctx(), { ...person, linkId: link.id, token: approved });
    expect(done.status).toBe("active");
    const [pm] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, done.customerId));
    expect(pm!.last4).toBe("3155");

    const failed = await token(SANDBOX_TEST_CARDS.authenticationRequired);
    await rejection(completeCheckout(m.ctx(), { ...person, linkId: link.id, token: failed }));
    expect(await m.gateway.authentication.complete(failed, "failed")).toBe(true);
    expect(await rejection(completeCheckout(m.ctx(), { ...person, linkId: link.id, token: failed }))).toMatchObject({ code: "payment_declined", details: { declineCode: "authentication_failed" } });
  });

  it("a link turned off refuses sign-up; only link managers switch it; a retired plan's link stays off", async () => {
    const link = await newLink({ amount: 2000, interval: "month" });
    const viewer = staffContext(m.ctx(), { merchantId: m.merchantId, staffUserId: "usr_v", role: "viewer" });
    expect((await rejection(setCheckoutLinkActive(viewer, { linkId: link.id, active: false }))).code).toBe("forbidden");
    expect((await setCheckoutLinkActive(m.ctx(), { linkId: link.id, active: false })).active).toBe(false);
    expect((await rejection(completeCheckout(m.ctx(), { ...person, email: "off@example.jp", linkId: link.id, token: await token() }))).code).toBe("not_found");
    expect(await database.db.select().from(customers).where(eq(customers.email, "off@example.jp"))).toEqual([]);
    await database.db.update(plans).set({ active: false }).where(eq(plans.id, link.planId));
    expect(await rejection(setCheckoutLinkActive(m.ctx(), { linkId: link.id, active: true }))).toMatchObject({ code: "conflict", details: { reason: "plan_inactive" } });
    expect((await rejection(setCheckoutLinkActive(m.ctx(), { linkId: "chk_nope", active: true }))).code).toBe("not_found");
  });

  it("an inactive or unknown link is not found, on the page and at sign-up", async () => {
    expect(await loadCheckoutPage(database.db, "chk_nope", NOW)).toBeNull();
    expect((await rejection(completeCheckout(m.ctx(), { ...person, linkId: "chk_nope", token: await token() }))).code).toBe("not_found");
    const audits = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "checkout_link.created"));
    expect(audits.length).toBeGreaterThan(0);
  });
});
