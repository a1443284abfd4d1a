import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { customers, customerSessions, mails, merchants, subscriptions } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { fixedClock } from "../context";
import { endUserContext, staffContext } from "../contexts";
import { createCustomer } from "../create-customer";
import { createSubscription } from "../create-subscription";
import { ServiceError } from "../errors";
import { getMyContract, listMyContracts, listMyInvoices } from "../queries/my-contracts";
import { getReceipt } from "../queries/receipt";
import { cancelMyContract } from "./cancel-my-contract";
import { endCustomerSession, readCustomerSession } from "./customer-sessions";
import { requestCustomerMail } from "./mail-customer-token";
import { pauseMyContract } from "./pause-my-contract";
import { confirmEmailChange, peekCustomerToken, resetCustomerPassword, signInWithLink } from "./redeem-customer-token";
import { signInCustomer } from "./sign-in-customer";
import { requestMyEmailChange, updateMyProfile } from "./update-my-profile";
import { openTestDatabase } from "@/test/support/database";
import { setupClockCustomer, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { newId } from "@/lib/ids";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const t0 = new Date("2027-03-01T00:00:00Z");
const clockAt = (seconds: number) => fixedClock(new Date(t0.getTime() + seconds * 1000));
const at = (seconds: number) => testPlatform(database.db, { clock: clockAt(seconds) });

async function member(m: TestMerchant, password: string | null = "correct horse") {
  const email = `${newId("cus")}@member.test`.toLowerCase();
  const customer = await createCustomer(m.ctx(), { email, name: "会員 花子" });
  if (password) await database.db.update(customers).set({ passwordHash: await hashPassword(password) }).where(eq(customers.id, customer.id));
  return { ...customer, email };
}

/** The mailed link of the newest mail to this address: its token and the page it opens. */
async function mailedToken(to: string, variable: string) {
  const rows = await database.db.select().from(mails).where(eq(mails.toAddress, to));
  const url = new URL(rows.at(-1)!.variables[variable]!);
  return { token: url.searchParams.get("token")!, path: url.pathname, count: rows.length };
}

describe("mypage sign-in and sessions", () => {
  it("signs in by password into a session of that merchant only; sign-out ends it", async () => {
    const m = await setupTestMerchant(database);
    const other = await setupTestMerchant(database);
    const c = await member(m);
    expect(await signInCustomer(at(0), { merchantId: m.merchantId, email: c.email, password: "wrong", address: null })).toEqual({ ok: false });
    // Same email, another merchant: not a customer there.
    expect(await signInCustomer(at(0), { merchantId: other.merchantId, email: c.email, password: "correct horse", address: null })).toEqual({ ok: false });
    const ok = await signInCustomer(at(0), { merchantId: m.merchantId, email: c.email.toUpperCase(), password: "correct horse", address: "192.0.2.9" });
    if (!ok.ok) throw new Error("sign-in failed");
    const [row] = await database.db.select().from(customerSessions).where(eq(customerSessions.customerId, c.id));
    expect(row!.tokenHash).not.toBe(ok.token);
    expect(await readCustomerSession(at(60), m.merchantId, ok.token)).toMatchObject({ customerId: c.id, merchantId: m.merchantId });
    expect(await readCustomerSession(at(60), other.merchantId, ok.token)).toBeNull();
    expect(await readCustomerSession(at(31 * 86_400), m.merchantId, ok.token)).toBeNull();
    await endCustomerSession(at(60), ok.token);
    expect(await readCustomerSession(at(61), m.merchantId, ok.token)).toBeNull();
  });

  it("throttles failures per email: even the right password waits, then the lock ends", async () => {
    const m = await setupTestMerchant(database);
    const c = await member(m);
    const input = (password: string) => ({ merchantId: m.merchantId, email: c.email, password, address: null });
    for (let i = 0; i < 4; i++) await signInCustomer(at(0), input("nope"));
    expect((await signInCustomer(at(1), input("correct horse"))).ok).toBe(false);
    expect((await signInCustomer(at(2), input("correct horse"))).ok).toBe(true);
    // Spaced past each backoff, so that every failure counts: the tenth locks the email for 15 minutes.
    for (let i = 1; i <= 10; i++) await signInCustomer(at(i * 100), input("nope"));
    expect((await signInCustomer(at(1000 + 14 * 60), input("correct horse"))).ok).toBe(false);
    expect((await signInCustomer(at(1000 + 15 * 60), input("correct horse"))).ok).toBe(true);
  });

  it("a customer without a password cannot sign in by password, only by mail link", async () => {
    const m = await setupTestMerchant(database);
    const c = await member(m, null);
    expect(await signInCustomer(at(0), { merchantId: m.merchantId, email: c.email, password: "anything", address: null })).toEqual({ ok: false });
    await requestCustomerMail(at(0), { merchantId: m.merchantId, email: c.email, purpose: "sign_in", address: null });
    const { token, path } = await mailedToken(c.email, "sign_in_url");
    expect(path).toBe(`/mypage/${m.merchantId}/sign-in/link`);
    expect(await peekCustomerToken(at(10), m.merchantId, "sign_in", token)).toBe("valid");
    const signedIn = await signInWithLink(at(10), { merchantId: m.merchantId, token });
    expect(signedIn.ok).toBe(true);
  });
});

describe("mailed one-time links", () => {
  it("a sign-in link works once, within 15 minutes, for its merchant", async () => {
    const m = await setupTestMerchant(database);
    const other = await setupTestMerchant(database);
    const c = await member(m);
    await requestCustomerMail(at(0), { merchantId: m.merchantId, email: c.email, purpose: "sign_in", address: null });
    await requestCustomerMail(at(0), { merchantId: m.merchantId, email: c.email, purpose: "sign_in", address: null });
    const first = await mailedToken(c.email, "sign_in_url");
    expect(first.count).toBe(2);
    expect((await signInWithLink(at(60), { merchantId: other.merchantId, token: first.token })).ok).toBe(false);
    expect((await signInWithLink(at(60), { merchantId: m.merchantId, token: first.token })).ok).toBe(true);
    expect((await signInWithLink(at(61), { merchantId: m.merchantId, token: first.token })).ok).toBe(false);
    expect(await peekCustomerToken(at(61), m.merchantId, "sign_in", first.token)).toBe("invalid");

    await requestCustomerMail(at(1000), { merchantId: m.merchantId, email: c.email, purpose: "sign_in", address: null });
    const late = await mailedToken(c.email, "sign_in_url");
    expect((await signInWithLink(at(1000 + 15 * 60), { merchantId: m.merchantId, token: late.token })).ok).toBe(false);
  });

  it("an unknown address gets the same answer and no mail; a flood of requests stops sending", async () => {
    const m = await setupTestMerchant(database);
    const c = await member(m);
    expect(await requestCustomerMail(at(0), { merchantId: m.merchantId, email: "nobody@member.test", purpose: "sign_in", address: null })).toEqual({ ok: true });
    expect(await database.db.select().from(mails).where(eq(mails.toAddress, "nobody@member.test"))).toHaveLength(0);
    for (let i = 0; i < 12; i++) await requestCustomerMail(at(0), { merchantId: m.merchantId, email: c.email, purpose: "sign_in", address: null });
    const sent = await database.db.select().from(mails).where(eq(mails.toAddress, c.email));
    expect(sent.length).toBe(4);
  });

  it("a password reset sets the new password, ends every session, and works once", async () => {
    const m = await setupTestMerchant(database);
    const c = await member(m);
    const before = await signInCustomer(at(0), { merchantId: m.merchantId, email: c.email, password: "correct horse", address: null });
    if (!before.ok) throw new Error("sign-in failed");
    await requestCustomerMail(at(0), { merchantId: m.merchantId, email: c.email, purpose: "password_reset", address: null });
    const { token, path } = await mailedToken(c.email, "reset_url");
    expect(path).toBe(`/mypage/${m.merchantId}/reset`);
    expect(await resetCustomerPassword(at(10), { merchantId: m.merchantId, token, password: "short" })).toEqual({ ok: false, reason: "weak_password" });
    expect((await resetCustomerPassword(at(10), { merchantId: m.merchantId, token, password: "a new passphrase" })).ok).toBe(true);
    expect(await resetCustomerPassword(at(11), { merchantId: m.merchantId, token, password: "another one!" })).toEqual({ ok: false, reason: "invalid_token" });
    expect(await readCustomerSession(at(12), m.merchantId, before.token)).toBeNull();
    expect((await signInCustomer(at(12), { merchantId: m.merchantId, email: c.email, password: "correct horse", address: null })).ok).toBe(false);
    expect((await signInCustomer(at(12), { merchantId: m.merchantId, email: c.email, password: "a new passphrase", address: null })).ok).toBe(true);
  });

  it("an email change waits for the new address to confirm", async () => {
    const m = await setupTestMerchant(database);
    const c = await member(m);
    const ctx = endUserContext(at(0), { merchantId: m.merchantId, customerId: c.id });
    const next = `${newId("cus")}@new.test`.toLowerCase();
    await requestMyEmailChange(ctx, { email: next });
    expect((await database.db.select().from(customers).where(eq(customers.id, c.id)))[0]!.email).toBe(c.email);
    const { token } = await mailedToken(next, "email_confirm_url");
    expect(await confirmEmailChange(at(10), { merchantId: m.merchantId, token })).toEqual({ ok: true, email: next });
    expect((await database.db.select().from(customers).where(eq(customers.id, c.id)))[0]!.email).toBe(next);
    expect((await confirmEmailChange(at(11), { merchantId: m.merchantId, token })).ok).toBe(false);
  });
});

describe("the mypage realm", () => {
  async function twoMembers() {
    const m = await setupTestMerchant(database, { now: t0 });
    const a = await setupClockCustomer(m, { start: t0, plan: { amount: 1100, interval: "month", taxBehavior: "inclusive", taxRate: 10 } });
    const subA = await createSubscription(m.ctx(), { customerId: a.customer.id, planId: a.plan.id });
    const b = await member(m);
    const ctxA = endUserContext(testPlatform(database.db, { clock: fixedClock(t0), gateway: m.gateway }), { merchantId: m.merchantId, customerId: a.customer.id });
    const ctxB = endUserContext(testPlatform(database.db, { clock: fixedClock(t0), gateway: m.gateway }), { merchantId: m.merchantId, customerId: b.id });
    return { m, a, subA, ctxA, ctxB };
  }

  it("a customer sees their own contracts and receipts; another customer's ids are not_found", async () => {
    const { subA, ctxA, ctxB } = await twoMembers();
    const mine = await listMyContracts(ctxA);
    expect(mine.map((c) => c.subscription.id)).toEqual([subA.id]);
    expect(mine[0]!.actions).toMatchObject({ cancel: { enabled: true, periodEnd: true, immediate: false }, pause: { enabled: false, allowed: false } });
    const [invoice] = await listMyInvoices(ctxA, { paidOnly: true });
    expect(invoice).toMatchObject({ subscriptionId: subA.id, status: "paid", total: 1100 });
    expect((await getReceipt(ctxA, invoice!.id))?.receipt.taxes).toEqual([expect.objectContaining({ rate: 10, tax: 100 })]);

    expect(await listMyContracts(ctxB)).toEqual([]);
    expect(await listMyInvoices(ctxB, { paidOnly: true })).toEqual([]);
    expect(await getReceipt(ctxB, invoice!.id)).toBeNull();
    await expect(getMyContract(ctxB, subA.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(cancelMyContract(ctxB, { subscriptionId: subA.id, reason: "price" })).rejects.toMatchObject({ code: "not_found" });
    await expect(pauseMyContract(ctxB, { subscriptionId: subA.id })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("staff contexts are not customers: the mypage's reads and verbs refuse them", async () => {
    const { m, subA } = await twoMembers();
    const staff = staffContext(testPlatform(database.db), { merchantId: m.merchantId, staffUserId: "usr_x", role: "owner" });
    await expect(listMyContracts(staff)).rejects.toMatchObject({ code: "forbidden" });
    await expect(getMyContract(staff, subA.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(cancelMyContract(staff, { subscriptionId: subA.id, reason: "price" })).rejects.toBeInstanceOf(ServiceError);
    await expect(updateMyProfile(staff, { name: "x", phone: "", address: null })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("cancels at period end with the reason; immediate and pause only where the merchant allows", async () => {
    const { m, subA, ctxA } = await twoMembers();
    await expect(cancelMyContract(ctxA, { subscriptionId: subA.id, reason: "price", immediately: true })).rejects.toMatchObject({ code: "forbidden" });
    await cancelMyContract(ctxA, { subscriptionId: subA.id, reason: "not_using", comment: "忙しくなったため" });
    const [row] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, subA.id));
    expect(row).toMatchObject({ cancelAtPeriodEnd: true, cancelReason: "利用する機会が減った：忙しくなったため", status: "active" });
    const after = await getMyContract(ctxA, subA.id);
    // Set to end, with only period-end cancellation allowed: nothing more to cancel.
    expect(after.actions.cancel.enabled).toBe(false);
    expect(after.actions.resume).toMatchObject({ enabled: true, mode: "undo_cancel", charge: { total: 1100, at: row!.paidThrough } });

    await database.db.update(merchants).set({ mypagePolicy: { cancel: "immediate_allowed", pause: true } }).where(eq(merchants.id, m.merchantId));
    const { resumeSubscription } = await import("../resume-subscription");
    await resumeSubscription(ctxA, { subscriptionId: subA.id });
    await pauseMyContract(ctxA, { subscriptionId: subA.id });
    expect((await getMyContract(ctxA, subA.id)).subscription.status).toBe("paused");
    await resumeSubscription(ctxA, { subscriptionId: subA.id });
    await cancelMyContract(ctxA, { subscriptionId: subA.id, reason: "other", immediately: true });
    expect((await database.db.select().from(subscriptions).where(and(eq(subscriptions.id, subA.id))))[0]!.status).toBe("canceled");
  });

  it("updates the profile, normalising full-width digits; bad input changes nothing", async () => {
    const { a, ctxA } = await twoMembers();
    const address = { postalCode: "１５００００１", prefecture: "東京都", city: "渋谷区神宮前", line1: "１－１" };
    await updateMyProfile(ctxA, { name: "山田 太郎", phone: "０９０－１２３４－５６７８", address });
    const [row] = await database.db.select().from(customers).where(eq(customers.id, a.customer.id));
    // The same shape checkout and the console keep, postal code written one way.
    expect(row).toMatchObject({ phone: "090-1234-5678", address: { postalCode: "150-0001", prefecture: "東京都", city: "渋谷区神宮前", line1: "１－１" } });
    await expect(updateMyProfile(ctxA, { name: "", phone: "abc", address: { ...address, postalCode: "12" } })).rejects.toMatchObject({ code: "invalid" });
    // Begun but not complete: refused, naming the missing part.
    await expect(updateMyProfile(ctxA, { name: "山田 太郎", phone: "", address: { ...address, city: "" } })).rejects.toMatchObject({ code: "invalid", details: { param: "address.city" } });
    expect((await database.db.select().from(customers).where(eq(customers.id, a.customer.id)))[0]).toMatchObject({ name: "山田 太郎", address: { city: "渋谷区神宮前" } });
    await updateMyProfile(ctxA, { name: "山田 太郎", phone: "", address: null });
    expect((await database.db.select().from(customers).where(eq(customers.id, a.customer.id)))[0]!.address).toBeNull();
  });
});
