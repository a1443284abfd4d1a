import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { customers, mailEvents, mails, mailSuppressions } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { newId } from "@/lib/ids";
import type { MailStatus } from "@/lib/mail/mail-settings";
import type { ServiceContext } from "@/lib/services/context";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { TEST_LINKS, testPlatform } from "@/test/support/platform";
import { getMailDetail, listSuppressions, searchOutbox } from "./queries/outbox";
import { merchantOwns } from "./queries/ownership";
import { removeMailSuppression } from "./remove-mail-suppression";
import { resendMail } from "./resend-mail";
import { createCustomer } from "./create-customer";
import { issueCustomerToken } from "./mypage/mail-customer-token";
import { renderMail } from "@/lib/mail/render-mail";
import { HIDDEN_LINK } from "@/lib/mail/secret-links";
import { verifyLinkToken } from "@/lib/auth/signed-link";
import { cardUpdateUrl } from "@/lib/mail/links";
import { composeMails } from "./internal/mail-compose";

describe("the outbox: search, one mail, resend and the suppression list", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;
  const staff = {} as Record<StaffRole, ServiceContext>;
  const now = new Date("2027-03-01T00:00:00Z");

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
    other = await setupTestMerchant(database);
    for (const role of ["owner", "admin", "operator", "viewer"] as const) staff[role] = await staffMemberOf(database, m, role, now);
  });
  afterAll(async () => database.close());

  /** An outbox row as the engine and the delivery worker leave it (sent ones rendered and stored). */
  async function mail(t: TestMerchant, values: { to: string; template?: MailTemplate; status?: MailStatus; queuedAt?: string; subscriptionId?: string; testClockId?: string; statusReason?: string }) {
    const id = newId("mail");
    const status = values.status ?? "sent";
    const rendered = status === "sent" || status === "failed" || status === "not_delivered";
    await database.db.insert(mails).values({
      id,
      merchantId: t.merchantId,
      template: values.template ?? "welcome",
      toAddress: values.to,
      variables: { name: "山田 花子" },
      idempotencyKey: `test:${id}`,
      status,
      statusReason: values.statusReason ?? null,
      subscriptionId: values.subscriptionId ?? null,
      testClockId: values.testClockId ?? null,
      queuedAt: new Date(values.queuedAt ?? "2027-02-01T00:00:00Z"),
      subject: rendered ? `件名 ${id}` : null,
      html: rendered ? "<p>本文</p>" : null,
      textBody: rendered ? "本文" : null,
      fromHeader: rendered ? "テスト商店 <no-reply@keizoku.test>" : null,
      replyTo: rendered ? "shop@example.jp" : null,
      renderedAt: rendered ? new Date("2027-02-01T00:00:05Z") : null,
      sentAt: status === "sent" ? new Date("2027-02-01T00:00:06Z") : null,
    });
    return id;
  }

  it("searches by recipient, template, status, contract and day (merchant time), newest first, paged, and only the merchant's", async () => {
    const a = await mail(m, { to: "hanako@example.jp", template: "welcome", queuedAt: "2027-02-01T14:59:00Z" }); // 2/1 23:59 JST
    const b = await mail(m, { to: "hanako@example.jp", template: "charge_failed", status: "failed", queuedAt: "2027-02-01T15:00:00Z", subscriptionId: "sub_x" }); // 2/2 00:00 JST
    const c = await mail(m, { to: "ichiro@example.com", template: "welcome", status: "skipped", statusReason: "disabled_for_product", testClockId: "clock_1" });
    await mail(other, { to: "hanako@example.jp" });
    const ids = async (input: Parameters<typeof searchOutbox>[1]) => (await searchOutbox(staff.viewer, input)).rows.map((r) => r.id);

    expect(await ids({})).toEqual([c, b, a]);
    expect(await ids({ q: "ＨＡＮＡＫＯ" })).toEqual([b, a]);
    expect(await ids({ template: "welcome" })).toEqual([c, a]);
    expect(await ids({ status: "failed" })).toEqual([b]);
    expect(await ids({ subscriptionId: "sub_x" })).toEqual([b]);
    expect(await ids({ from: "2027-02-02", to: "2027-02-02" })).toEqual([b]);
    expect(await ids({ to: "2027-02-01" })).toEqual([c, a]);
    const page = await searchOutbox(staff.viewer, { perPage: 25, page: 1, q: "example" });
    expect([page.total, page.pageCount]).toEqual([3, 1]);
    expect((await searchOutbox(staff.viewer, { page: 2 })).rows).toEqual([]);
    const skipped = (await searchOutbox(staff.viewer, { status: "skipped" })).rows[0]!;
    expect(skipped).toMatchObject({ statusReason: "disabled_for_product", testClockId: "clock_1", testSend: false });
    expect((await rejection(searchOutbox(staff.viewer, { from: "2/1" }))).code).toBe("invalid");
  });

  it("shows one mail with its events, resends and suppression; another merchant's is not found", async () => {
    const id = await mail(m, { to: "detail@example.jp" });
    await database.db.insert(mailEvents).values({ id: newId("mev"), merchantId: m.merchantId, mailId: id, kind: "delivered", detail: {}, at: new Date("2027-02-01T00:01:00Z") });
    const detail = await getMailDetail(staff.viewer, id);
    expect(detail.mail.subject).toBe(`件名 ${id}`);
    expect(detail.events.map((e) => e.kind)).toEqual(["delivered"]);
    expect(detail.suppression).toBeNull();
    const theirs = await mail(other, { to: "x@example.jp" });
    expect((await rejection(getMailDetail(staff.owner, theirs))).code).toBe("not_found");
    expect(await merchantOwns(staff.owner, "mail", theirs)).toBe(false);
    expect(await merchantOwns(staff.owner, "mail", id)).toBe(true);
  });

  it("hides a mailed sign-in link from staff: the customer got it, the outbox shows it masked", async () => {
    const customer = await createCustomer(m.ctx(), { name: "秘密 花子", email: "secret-link@example.jp" });
    const [row] = await database.db.select().from(customers).where(eq(customers.id, customer.id));
    await issueCustomerToken(database.db, testPlatform(database.db), row!, "sign_in", new Date());
    // Rendered and stored as the delivery worker does it (not the worker itself: on PostgreSQL this database and its
    // queue are shared with other test files, whose queued mails are theirs to send).
    const [queued] = await database.db.select().from(mails).where(and(eq(mails.customerId, customer.id), eq(mails.template, "sign_in_link")));
    const rendered = await renderMail({ template: "sign_in_link", locale: "ja", variables: queued!.variables, override: null });
    await database.db.update(mails).set({ subject: rendered.subject, html: rendered.html, textBody: rendered.text, renderedAt: new Date() }).where(eq(mails.id, queued!.id));
    const [stored] = await database.db.select().from(mails).where(eq(mails.id, queued!.id));
    const link = stored!.variables.sign_in_url!;
    expect(stored!.textBody).toContain(link);
    const { mail: shown } = await getMailDetail(staff.owner, stored!.id);
    for (const part of [shown.textBody!, shown.html!, JSON.stringify(shown.variables)]) {
      expect(part).not.toContain(link);
      expect(part).toContain(HIDDEN_LINK);
    }
  });

  it("resends a sent mail as stored, numbering each resend, for owners, admins and operators", async () => {
    const id = await mail(m, { to: "again@example.jp", subscriptionId: "sub_again", testClockId: "clock_2" });
    const first = await resendMail(staff.operator, { mailId: id });
    const second = await resendMail(staff.admin, { mailId: id });
    const [original] = await database.db.select().from(mails).where(eq(mails.id, id));
    expect(first).toMatchObject({
      status: "queued",
      resendOf: id,
      idempotencyKey: `resend:${id}:1`,
      subject: original!.subject,
      html: original!.html,
      textBody: original!.textBody,
      fromHeader: original!.fromHeader,
      replyTo: original!.replyTo,
      toAddress: "again@example.jp",
      subscriptionId: "sub_again",
      testClockId: "clock_2",
      queuedAt: now,
    });
    expect(first.renderedAt).not.toBeNull();
    expect(second.idempotencyKey).toBe(`resend:${id}:2`);
    const detail = await getMailDetail(staff.viewer, id);
    expect(detail.resends.map((r) => r.id)).toEqual([first.id, second.id]);
    expect(detail.events.map((e) => [e.kind, e.detail.resendMailId])).toEqual([
      ["resent", first.id],
      ["resent", second.id],
    ]);
  });

  it("a resend goes as stored, but with its links signed afresh when it is sent (the original's may have expired)", async () => {
    const sentAt = new Date("2027-02-01T00:00:05Z");
    const old = await cardUpdateUrl(TEST_LINKS, { merchantId: m.merchantId, subscriptionId: "sub_relink" }, sentAt);
    const variables = { name: "山田 花子", card_update_url: old, mypage_url: `${TEST_LINKS.baseUrl}/mypage/${m.merchantId}` };
    const rendered = await renderMail({ template: "charge_failed", locale: "ja", variables, override: null });
    expect(rendered.html).toContain(`href="${old}"`);
    const id = newId("mail");
    await database.db.insert(mails).values({
      id,
      merchantId: m.merchantId,
      subscriptionId: "sub_relink",
      template: "charge_failed",
      toAddress: "relink@example.jp",
      variables,
      links: { card_update: "sub_relink" },
      idempotencyKey: `test:${id}`,
      status: "sent",
      queuedAt: sentAt,
      subject: rendered.subject,
      html: rendered.html,
      textBody: rendered.text,
      fromHeader: "テスト商店 <no-reply@keizoku.test>",
      renderedAt: sentAt,
      sentAt,
    });
    const copy = await resendMail(staff.operator, { mailId: id });
    expect(copy).toMatchObject({ links: { card_update: "sub_relink" }, html: rendered.html, textBody: rendered.text });

    // Sent a month later (the delivery worker's compose step, on this row alone: the queue is shared on PostgreSQL).
    const resentAt = new Date("2027-03-01T00:00:00Z");
    const [sent] = await composeMails(database.db, [copy], { mailFrom: "mail@keizoku.test", now: resentAt, links: TEST_LINKS, receiptFor: null });
    const fresh = sent!.variables.card_update_url!;
    expect(fresh).not.toBe(old);
    for (const part of [sent!.html!, sent!.textBody!]) {
      expect(part).toContain(fresh);
      expect(part).not.toContain(old);
    }
    expect(sent!.subject).toBe(rendered.subject);
    expect(sent!.html!.replaceAll(fresh, old)).toBe(rendered.html);
    const token = new URL(fresh).searchParams.get("token")!;
    expect(await verifyLinkToken(TEST_LINKS.secret, "card_update", token, new Date("2027-03-07T23:59:00Z"))).toMatchObject({ ok: true, subject: "sub_relink" });
    expect(await verifyLinkToken(TEST_LINKS.secret, "card_update", token, new Date("2027-03-08T00:01:00Z"))).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses to resend for a viewer, for another merchant's mail, a skipped or unsent mail, and a suppressed address; nothing is written", async () => {
    const sent = await mail(m, { to: "Bounced@Example.jp" });
    const skipped = await mail(m, { to: "off@example.jp", status: "skipped", statusReason: "disabled_for_product" });
    const waiting = await mail(m, { to: "wait@example.jp", status: "queued" });
    const theirs = await mail(other, { to: "theirs@example.jp" });
    const count = async () => (await database.db.select({ id: mails.id }).from(mails)).length;
    const before = await count();

    expect((await rejection(resendMail(staff.viewer, { mailId: sent }))).code).toBe("forbidden");
    expect((await rejection(resendMail(staff.owner, { mailId: theirs }))).code).toBe("not_found");
    expect((await rejection(resendMail(staff.owner, { mailId: skipped }))).details.reason).toBe("mail_skipped");
    expect((await rejection(resendMail(staff.owner, { mailId: waiting }))).details.reason).toBe("mail_not_sent_yet");
    await database.db.insert(mailSuppressions).values({ id: newId("msup"), merchantId: m.merchantId, address: "bounced@example.jp", reason: "bounced", sourceMailId: sent });
    const refused = await rejection(resendMail(staff.owner, { mailId: sent }));
    expect([refused.code, refused.details.reason]).toEqual(["conflict", "address_suppressed"]);
    expect((await getMailDetail(staff.viewer, sent)).suppression?.reason).toBe("bounced");
    expect(await count()).toBe(before);
    expect(await database.db.select().from(mailEvents).where(eq(mailEvents.mailId, sent))).toEqual([]);
  });

  it("lists suppressions and removes one (operators and up); viewers and other merchants' ids are refused", async () => {
    const mine = newId("msup");
    const theirs = newId("msup");
    await database.db.insert(mailSuppressions).values([
      { id: mine, merchantId: m.merchantId, address: "complained@example.jp", reason: "complained" },
      { id: theirs, merchantId: other.merchantId, address: "complained@example.jp", reason: "complained" },
    ]);
    const list = await listSuppressions(staff.viewer, { q: "complained" });
    expect(list.rows.map((r) => r.id)).toEqual([mine]);

    expect((await rejection(removeMailSuppression(staff.viewer, { suppressionId: mine }))).code).toBe("forbidden");
    expect((await rejection(removeMailSuppression(staff.owner, { suppressionId: theirs }))).code).toBe("not_found");
    expect((await database.db.select().from(mailSuppressions).where(eq(mailSuppressions.id, theirs))).length).toBe(1);
    expect((await listSuppressions(staff.viewer, { q: "complained" })).total).toBe(1);

    await removeMailSuppression(staff.operator, { suppressionId: mine });
    expect(await database.db.select().from(mailSuppressions).where(and(eq(mailSuppressions.merchantId, m.merchantId), eq(mailSuppressions.id, mine)))).toEqual([]);
    expect((await rejection(removeMailSuppression(staff.operator, { suppressionId: mine }))).code).toBe("not_found");
  });
});
