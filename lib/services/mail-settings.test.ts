import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, mails, merchants, products } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import type { ServiceContext } from "@/lib/services/context";
import { createProduct } from "@/lib/services/create-product";
import { openTestDatabase } from "@/test/support/database";
import { jst, rejection, setupTestMerchant, staffMemberOf, signedUpContract, type TestMerchant } from "@/test/support/merchant";
import { previewMail } from "./preview-mail";
import { searchOutbox } from "./queries/outbox";
import { sendTestMail } from "./send-test-mail";
import { MailOverrideError, updateMailSettings } from "./update-mail-settings";

describe("mail settings: editing, preview and test send", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;
  const staff = {} as Record<StaffRole, ServiceContext>;
  let otherOwner: ServiceContext;
  const now = new Date("2027-01-01T00:00:00Z");

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
    other = await setupTestMerchant(database);
    for (const role of ["owner", "admin", "operator", "viewer"] as const) staff[role] = await staffMemberOf(database, m, role, now);
    otherOwner = await staffMemberOf(database, other, "owner", now);
  });
  afterAll(async () => database.close());

  const merchantSettings = async () => (await database.db.select().from(merchants).where(eq(merchants.id, m.merchantId)))[0]!;

  it("saves the merchant's wording of a mail and a product's own, and a product can go back to the merchant's", async () => {
    await updateMailSettings(staff.owner, { kind: "template", template: "welcome", override: { enabled: true, subject: "%%name%%様、ようこそ", body: "%%plan%%へようこそ。\n%%footer%%" } });
    expect((await merchantSettings()).mailSettings.welcome).toEqual({ enabled: true, subject: "%%name%%様、ようこそ", body: "%%plan%%へようこそ。\n%%footer%%" });

    const product = await createProduct(m.ctx(), { name: "ヨガ教室" });
    await updateMailSettings(staff.admin, { kind: "template", template: "welcome", productId: product.id, override: { enabled: false } });
    const [row] = await database.db.select().from(products).where(eq(products.id, product.id));
    expect(row!.mailSettings).toEqual({ welcome: { enabled: false } });
    // The merchant's own setting is untouched by the product's.
    expect((await merchantSettings()).mailSettings.welcome?.enabled).toBe(true);

    await updateMailSettings(staff.owner, { kind: "template", template: "welcome", productId: product.id, override: null });
    const [after] = await database.db.select().from(products).where(eq(products.id, product.id));
    expect(after!.mailSettings).toEqual({});
    const audits = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, product.id)).orderBy(auditEvents.id);
    expect(audits.filter((a) => a.action === "mail_settings.updated").map((a) => a.data.after)).toEqual([{ enabled: false }, null]);
  });

  it("refuses an unknown variable, one the mail does not carry and an empty subject, naming each, and changes nothing", async () => {
    const before = (await merchantSettings()).mailSettings;
    const error = await rejection(
      updateMailSettings(staff.owner, { kind: "template", template: "welcome", override: { subject: "  ", body: "%%nmae%%様 領収書: %%receipt_url%%" } }),
    );
    expect(error).toBeInstanceOf(MailOverrideError);
    expect(error.code).toBe("invalid");
    expect((error as MailOverrideError).problems).toEqual([
      { field: "subject", code: "empty_subject" },
      { field: "body", code: "unknown_variable", variable: "nmae" },
      { field: "body", code: "variable_not_in_mail", variable: "receipt_url" },
    ]);
    expect(error.message).toContain("%%nmae%%");
    expect((await merchantSettings()).mailSettings).toEqual(before);
  });

  it("saves the sender name, reply-to address and footer, and refuses a reply-to that is not an address", async () => {
    await updateMailSettings(staff.owner, { kind: "sender", senderName: "ヨガの森", replyTo: "Support@Example.JP", footer: "ヨガの森 03-1234-5678" });
    const saved = await merchantSettings();
    expect([saved.senderName, saved.mailReplyTo, saved.mailFooter]).toEqual(["ヨガの森", "support@example.jp", "ヨガの森 03-1234-5678"]);
    const error = await rejection(updateMailSettings(staff.owner, { kind: "sender", senderName: "別名", replyTo: "not an address", footer: "" }));
    expect(error.code).toBe("invalid");
    expect(error.details.param).toBe("replyTo");
    expect((await merchantSettings()).senderName).toBe("ヨガの森");
    // Blank clears.
    await updateMailSettings(staff.admin, { kind: "sender", senderName: "ヨガの森", replyTo: "", footer: "ヨガの森 03-1234-5678" });
    expect((await merchantSettings()).mailReplyTo).toBeNull();
  });

  it("lets owners and admins edit and test-send; operators and viewers are refused and nothing changes", async () => {
    const before = await merchantSettings();
    for (const role of ["operator", "viewer"] as const) {
      expect((await rejection(updateMailSettings(staff[role], { kind: "template", template: "refund", override: { enabled: false } }))).code).toBe("forbidden");
      expect((await rejection(updateMailSettings(staff[role], { kind: "sender", senderName: "x" }))).code).toBe("forbidden");
      expect((await rejection(sendTestMail(staff[role], { template: "refund" }))).code).toBe("forbidden");
    }
    const after = await merchantSettings();
    expect(after.mailSettings).toEqual(before.mailSettings);
    expect(after.senderName).toBe(before.senderName);
    expect(await database.db.select().from(mails).where(eq(mails.merchantId, m.merchantId))).toEqual([]);
  });

  it("does not touch another merchant's product: not found", async () => {
    const theirs = await createProduct(other.ctx(), { name: "他店の商品" });
    const error = await rejection(updateMailSettings(staff.owner, { kind: "template", template: "welcome", productId: theirs.id, override: { enabled: false } }));
    expect(error.code).toBe("not_found");
    const [row] = await database.db.select().from(products).where(eq(products.id, theirs.id));
    expect(row!.mailSettings).toEqual({});
    expect(otherOwner.merchantId).toBe(other.merchantId);
  });

  it("previews unsaved wording with sample values or a real contract's, for every role", async () => {
    const sample = await previewMail(staff.viewer, { template: "charge_succeeded", override: { subject: "%%amount%%を頂きました", body: "%%name%%様\n領収書: %%receipt_url%%" } });
    expect(sample.subject).toBe("¥3,980を頂きました");
    expect(sample.text).toContain("山田 花子様");
    expect(sample.text).toContain("https://example.jp/r/");
    expect(sample.problems).toEqual([]);
    // The merchant's own sender name stands in for the sample's.
    expect(sample.variables.merchant).toBe("ヨガの森");

    const { subscription, customer } = await signedUpContract(m, { amount: 5500, interval: "month" }, jst("2027-01-10T12:00:00"));
    const real = await previewMail(staff.operator, { template: "charge_failed", override: { subject: "%%name%%様：カードの更新を", body: "こちらから: %%card_update_url%% %%nmae%%" }, subscriptionId: subscription.id });
    expect(real.subject).toBe(`${customer.name}様：カードの更新を`);
    expect(real.text).toContain("http://localhost:3000/mypage/card?token=");
    expect(real.variables.amount).toBe("¥5,500");
    expect(real.problems).toEqual([{ field: "body", code: "unknown_variable", variable: "nmae" }]);
    // Without wording: Keizoku's default subject.
    expect((await previewMail(staff.viewer, { template: "welcome", subscriptionId: subscription.id })).subject).toContain("お申し込みありがとうございます");

    const theirs = await signedUpContract(other);
    expect((await rejection(previewMail(staff.owner, { template: "welcome", subscriptionId: theirs.subscription.id }))).code).toBe("not_found");
  });

  it("queues a test mail, rendered and stored, to the signed-in staff member, and refuses wording with problems", async () => {
    const mail = await sendTestMail(staff.admin, { template: "paused", override: { subject: "%%plan%%を%%resume_at%%まで停止", body: "再開日: %%resume_at%%" } });
    expect(mail).toMatchObject({
      template: "paused",
      toAddress: `admin-${m.merchantId}@staff.test`.toLowerCase(),
      status: "queued",
      customerId: null,
      subscriptionId: null,
      subject: "月謝プランを2027年8月1日まで停止",
      replyTo: null,
    });
    expect(mail.idempotencyKey).toMatch(/^test_send:[0-9a-f-]{36}$/);
    expect(mail.renderedAt).toEqual(now);
    expect(mail.textBody).toContain("再開日: 2027年8月1日");
    expect(mail.html).toContain("2027年8月1日");
    // The outbox shows it, marked as a test mail.
    const listed = (await searchOutbox(staff.viewer, { q: mail.toAddress })).rows;
    expect(listed.map((r) => [r.id, r.testSend])).toEqual([[mail.id, true]]);

    const count = (await database.db.select().from(mails).where(eq(mails.merchantId, m.merchantId))).length;
    const error = await rejection(sendTestMail(staff.owner, { template: "paused", override: { subject: "", body: "%%receipt_url%%" } }));
    expect((error as MailOverrideError).problems.map((p) => p.code)).toEqual(["empty_subject", "variable_not_in_mail"]);
    expect((await database.db.select().from(mails).where(eq(mails.merchantId, m.merchantId))).length).toBe(count);
    // A contract of another merchant cannot lend its values to a test mail.
    const theirs = await signedUpContract(other);
    expect((await rejection(sendTestMail(staff.owner, { template: "welcome", subscriptionId: theirs.subscription.id }))).code).toBe("not_found");
    // A test mail goes to a person: a caller without a staff address is refused.
    expect((await rejection(sendTestMail(m.ctx(), { template: "welcome" }))).details.reason).toBe("no_staff_address");
  });
});
