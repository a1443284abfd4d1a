import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { verifyLinkToken } from "@/lib/auth/signed-link";
import { pauseSubscription } from "@/lib/services/pause-subscription";
import { composeMails } from "@/lib/services/internal/mail-compose";
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

const DAY = 86_400_000;

/** The variables each outbox row is written with (contract signed up 2027-01-10 12:00 JST). */
describe("contract mail variables", () => {
  it("a receipt and a refund carry a link to the paid invoice's receipt, signed when the mail is sent; other mails carry none", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m);
    const [invoice] = (await contractHistory(database, subscription.id)).invoices;
    await refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 500 });
    const { mails } = await contractHistory(database, subscription.id);
    const byTemplate = Object.fromEntries(mails.map((mail) => [mail.template, mail]));
    // Queued: what identifies each link, no link yet.
    expect(byTemplate.welcome!.links).toEqual({ card_update: subscription.id });
    for (const template of ["charge_succeeded", "refund"]) {
      const queued = byTemplate[template]!;
      expect(queued.links).toEqual({ card_update: subscription.id, receipt: invoice!.id });
      expect(queued.variables).not.toHaveProperty("receipt_url");
      expect(queued.variables).not.toHaveProperty("card_update_url");

      // Sent ten days after the decision (rendered by the worker's compose step, without claiming this shared queue).
      const sentAt = new Date(m.ctx().clock.now().getTime() + 10 * DAY);
      const [sent] = await composeMails(database.db, [queued], { mailFrom: "mail@keizoku.test", now: sentAt, links: TEST_LINKS, receiptFor: null });
      const url = sent!.variables.receipt_url;
      const token = receiptToken(url);
      expect(sent!.textBody).toContain(url);
      expect(sent!.variables.card_update_url).toMatch(new RegExp(`^${TEST_LINKS.baseUrl}/mypage/card\\?token=`));
      // Valid for 7 days from the send, not from the decision.
      expect(await verifyLinkToken(TEST_LINKS.secret, "receipt", token, new Date(sentAt.getTime() + 7 * DAY - 1000))).toMatchObject({ ok: true, subject: invoice!.id, merchantId: m.merchantId });
      expect(await verifyLinkToken(TEST_LINKS.secret, "receipt", token, new Date(sentAt.getTime() + 7 * DAY + 1000))).toEqual({ ok: false, reason: "expired" });
      expect(await verifyLinkToken(TEST_LINKS.secret, "card_update", token, sentAt)).toEqual({ ok: false, reason: "wrong_purpose" });
    }
    expect(byTemplate.welcome!.variables).not.toHaveProperty("receipt_url");
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
