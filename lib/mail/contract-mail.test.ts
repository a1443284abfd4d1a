import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { verifyLinkToken } from "@/lib/auth/signed-link";
import { pauseSubscription } from "@/lib/services/pause-subscription";
import { refundInvoice } from "@/lib/services/refund-invoice";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, setupTestMerchant, signedUpContract } from "@/test/support/merchant";
import { TEST_LINKS } from "@/test/support/platform";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

function receiptToken(url: string | undefined): string {
  expect(url).toMatch(new RegExp(`^${TEST_LINKS.baseUrl}/r/`));
  return url!.slice(`${TEST_LINKS.baseUrl}/r/`.length);
}

/** The variables each outbox row is written with (contract signed up 2027-01-10 12:00 JST). */
describe("contract mail variables", () => {
  it("a receipt and a refund carry a signed link to the paid invoice's receipt; other mails carry none", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m);
    const [invoice] = (await contractHistory(database, subscription.id)).invoices;
    await refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 500 });
    const { mails } = await contractHistory(database, subscription.id);
    const byTemplate = Object.fromEntries(mails.map((mail) => [mail.template, mail.variables]));
    for (const template of ["charge_succeeded", "refund"]) {
      const token = receiptToken(byTemplate[template]!.receipt_url);
      // Signed at the real time of the decision (the contract lives on a test clock in 2027): valid for 7 days from now.
      const now = m.ctx().clock.now();
      expect(await verifyLinkToken(TEST_LINKS.secret, "receipt", token, now)).toMatchObject({ ok: true, subject: invoice!.id, merchantId: m.merchantId });
      expect(await verifyLinkToken(TEST_LINKS.secret, "receipt", token, new Date(now.getTime() + 8 * 86_400_000))).toEqual({ ok: false, reason: "expired" });
      expect(await verifyLinkToken(TEST_LINKS.secret, "card_update", token, now)).toEqual({ ok: false, reason: "wrong_purpose" });
    }
    expect(byTemplate.welcome).not.toHaveProperty("receipt_url");
  });

  it("a pause's resume_at is the date in the merchant's time zone", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m);
    // 2027-04-04 23:30 UTC is already April 5th in Tokyo.
    await pauseSubscription(m.ctx(), { subscriptionId: subscription.id, resumeAt: jst("2027-04-05T08:30:00") });
    const { mails } = await contractHistory(database, subscription.id);
    expect(mails.at(-1)).toMatchObject({ template: "paused", variables: { resume_at: "2027年4月5日" } });
  });

  it("a pause without an end leaves resume_at empty", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m);
    await pauseSubscription(m.ctx(), { subscriptionId: subscription.id });
    const { mails } = await contractHistory(database, subscription.id);
    expect(mails.at(-1)).toMatchObject({ template: "paused", variables: { resume_at: "" } });
  });
});
