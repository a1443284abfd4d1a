import { and, eq, inArray } from "drizzle-orm";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { mailEvents, mails, mailSuppressions, merchants } from "@/db/schema";
import { atobaraiInvoicePdf } from "@/lib/atobarai/invoice-pdf";
import { verifyLinkToken } from "@/lib/auth/signed-link";
import { atobaraiInvoiceFilename } from "@/lib/mail/attachments";
import { newId } from "@/lib/ids";
import { enqueueMails, type MailToQueue } from "@/lib/mail/enqueue-mail";
import { type Mailer, outboxMailer } from "@/lib/mail/mailer";
import { createResendMailer } from "@/lib/mail/resend-mailer";
import { seedAtobaraiOrder } from "@/test/support/atobarai";
import { openIsolatedTestDatabase, simClock, type SimClock } from "@/test/support/inngest";
import { setupTestMerchant } from "@/test/support/merchant";
import { TEST_LINKS } from "@/test/support/platform";
import { type ResendStandIn, startResendStandIn } from "@/test/support/resend-stand-in";
import { deliverMails, type DeliverMailsOptions, mailKeyOf } from "./deliver-mails";
import { getAtobaraiInvoiceView } from "./queries/atobarai-orders";

/**
 * The delivery worker against the official `resend` SDK pointed at a local stand-in of Resend's API
 * (test/support/resend-stand-in.ts): the only stand-in here; the database is real (PGlite, or a PostgreSQL database
 * of this file's own, so that no other file's mails are claimed).
 */
let database: Database;
let standIn: ResendStandIn;
const START = new Date("2027-03-01T00:00:00Z");
const DAY = 86_400_000;

beforeAll(async () => {
  database = await openIsolatedTestDatabase();
});
afterAll(async () => database.close());
afterEach(async () => standIn?.close());

const OPTIONS: DeliverMailsOptions = { limit: 500, batchSize: 100, concurrency: 4, leaseSeconds: 60, mailFrom: "mail@keizoku.test" };

function resendMailer(options: { tries?: number } = {}): Mailer {
  return createResendMailer({ apiKey: "re_test", baseUrl: standIn.url, backoffBaseMs: 5, maxWaitMs: 2000, ...options });
}

async function merchantWithMails(count: number, options: { clock: SimClock; to?: (i: number) => string; template?: MailToQueue["template"] } = { clock: simClock(START) }) {
  const m = await setupTestMerchant(database, { now: START });
  await database.db.update(merchants).set({ senderName: "ヨガ教室 \"さくら\"", mailReplyTo: "desk@yoga.example" }).where(eq(merchants.id, m.merchantId));
  await enqueueMails(
    database.db,
    Array.from({ length: count }, (_, i) => ({
      merchantId: m.merchantId,
      template: options.template ?? "welcome",
      to: options.to?.(i) ?? `member${i}@example.jp`,
      locale: "ja" as const,
      variables: { merchant: "ヨガ教室", plan: "月謝プラン", name: `会員${i}` },
      idempotencyKey: `welcome:${i}`,
      at: options.clock.now(),
    })),
  );
  return m.merchantId;
}

/** What the worker runs on: this file's database, a simulated clock, the test links' settings and a mailer. */
const worker = (clock: SimClock, mailer: Mailer) => ({ db: database.db, clock, links: TEST_LINKS, mailer });

const rowsOf = (merchantId: string) => database.db.select().from(mails).where(eq(mails.merchantId, merchantId)).orderBy(mails.idempotencyKey);
const eventsOf = async (merchantId: string) => (await database.db.select().from(mailEvents).where(eq(mailEvents.merchantId, merchantId))).map((e) => e.kind).sort();

async function drain(platform: Parameters<typeof deliverMails>[0], options: Partial<DeliverMailsOptions> = {}) {
  for (let i = 0; i < 50; i++) if ((await deliverMails(platform, { ...OPTIONS, ...options })).claimed === 0) return;
  throw new Error("the queue did not drain");
}

describe("delivery through Resend (SDK → local stand-in)", () => {
  it("renders, stores and sends each mail once, in batches, with the merchant's sender name and reply-to", async () => {
    standIn = await startResendStandIn();
    const clock = simClock(START);
    const merchantId = await merchantWithMails(150, { clock });
    const pass = await deliverMails(worker(clock, resendMailer()), OPTIONS);
    expect(pass).toMatchObject({ claimed: 150, sent: 150, failed: 0, retried: 0 });
    expect(standIn.counts.requests).toBe(2); // 100 + 50, one request each
    const rows = await rowsOf(merchantId);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["sent"]));
    expect(rows.map((r) => r.providerMessageId).sort()).toEqual(standIn.messages.map((m) => m.id).sort());
    const first = rows.find((r) => r.idempotencyKey === "welcome:0")!;
    const message = standIn.messages.find((m) => m.id === first.providerMessageId)!;
    expect(message).toMatchObject({ to: "member0@example.jp", from: '"ヨガ教室 \\"さくら\\"" <mail@keizoku.test>', replyTo: "desk@yoga.example", subject: first.subject, html: first.html, text: first.textBody });
    expect(first.subject).toContain("ヨガ教室");
    expect([first.renderedAt, first.sentAt]).toEqual([START, START]);
    expect(await eventsOf(merchantId)).toEqual(Array(150).fill("sent"));
  });

  it("signs a mail's links as it sends it: valid for the link lifetime from the send, stored with what was sent", async () => {
    standIn = await startResendStandIn();
    const m = await setupTestMerchant(database, { now: START });
    const queued: MailToQueue = { merchantId: m.merchantId, template: "charge_succeeded", to: "paid@example.jp", locale: "ja", variables: { name: "会員" }, idempotencyKey: "receipt:1", at: START };
    await enqueueMails(database.db, [{ ...queued, links: { card_update: "sub_paid", receipt: "in_paid" } }]);
    const [before] = await rowsOf(m.merchantId);
    expect(before!.variables).toEqual({ name: "会員" });
    const clock = simClock(new Date(START.getTime() + 3 * DAY)); // sent three days after it was decided
    await deliverMails(worker(clock, resendMailer()), OPTIONS);
    const [row] = await rowsOf(m.merchantId);
    const receipt = row!.variables.receipt_url!;
    expect(receipt).toMatch(new RegExp(`^${TEST_LINKS.baseUrl}/r/`));
    expect(row!.variables.card_update_url).toMatch(new RegExp(`^${TEST_LINKS.baseUrl}/mypage/card\\?token=`));
    const message = standIn.messages.find((msg) => msg.id === row!.providerMessageId)!;
    expect(message.text).toContain(receipt);
    expect(message.html).toContain(`href="${receipt}"`);
    const token = receipt.slice(`${TEST_LINKS.baseUrl}/r/`.length);
    const expiry = clock.now().getTime() + TEST_LINKS.ttlDays * DAY;
    expect(await verifyLinkToken(TEST_LINKS.secret, "receipt", token, new Date(expiry - 1000))).toMatchObject({ ok: true, subject: "in_paid", merchantId: m.merchantId });
    expect(await verifyLinkToken(TEST_LINKS.secret, "receipt", token, new Date(expiry + 1000))).toEqual({ ok: false, reason: "expired" });
  });

  it("sends a row rendered before (a staff 'send again') as stored, and a lone mail with the mail's own idempotency key", async () => {
    standIn = await startResendStandIn();
    const clock = simClock(START);
    const merchantId = await merchantWithMails(1, { clock });
    const [row] = await rowsOf(merchantId);
    await database.db.update(mails).set({ subject: "再送: ご案内", html: "<p>stored</p>", textBody: "stored", fromHeader: "Staff <staff@keizoku.test>", replyTo: null, renderedAt: START }).where(eq(mails.id, row!.id));
    await deliverMails(worker(clock, resendMailer()), OPTIONS);
    expect(standIn.messages).toEqual([expect.objectContaining({ subject: "再送: ご案内", html: "<p>stored</p>", text: "stored", from: "Staff <staff@keizoku.test>", idempotencyKey: mailKeyOf(row!) })]);
  });

  it("waits as long as a 429's retry-after says, then sends; nothing twice", async () => {
    standIn = await startResendStandIn({ rate: 1, burst: 1, retryAfterSeconds: 1 });
    const clock = simClock(START);
    const merchantId = await merchantWithMails(3, { clock });
    const started = Date.now();
    const pass = await deliverMails(worker(clock, resendMailer()), { ...OPTIONS, batchSize: 1, concurrency: 3 });
    expect(pass).toMatchObject({ sent: 3, retried: 0 });
    expect(standIn.counts.rateLimited).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(standIn.messages.map((m) => m.to).sort()).toEqual(["member0@example.jp", "member1@example.jp", "member2@example.jp"]);
    expect((await rowsOf(merchantId)).every((r) => r.status === "sent")).toBe(true);
  });

  it("on 5xx queues the batch again with a backoff (and the provider's retry-after), then sends it as the same request", async () => {
    standIn = await startResendStandIn();
    standIn.failNext(4, 503, 120);
    const clock = simClock(START);
    const merchantId = await merchantWithMails(5, { clock });
    const mailer = createResendMailer({ apiKey: "re_test", baseUrl: standIn.url, tries: 2, backoffBaseMs: 5, maxWaitMs: 50 });
    const pass = await deliverMails(worker(clock, mailer), OPTIONS);
    expect(pass).toMatchObject({ claimed: 5, sent: 0, retried: 5 });
    const waiting = await rowsOf(merchantId);
    expect(waiting.map((r) => [r.status, r.attempts, r.nextAttemptAt, r.leaseUntil])).toEqual(Array(5).fill(["queued", 1, new Date(START.getTime() + 120_000), null]));
    expect(waiting[0]!.lastError).toMatch(/^503 /);
    expect(new Set(waiting.map((r) => r.batchKey)).size).toBe(1);

    clock.set(new Date(START.getTime() + 60_000));
    expect((await deliverMails(worker(clock, mailer), OPTIONS)).claimed).toBe(0); // not before retry-after
    clock.set(new Date(START.getTime() + 121_000));
    standIn.failNext(1, 500); // one more failure: the adapter's second try goes through
    expect(await deliverMails(worker(clock, mailer), OPTIONS)).toMatchObject({ claimed: 5, sent: 5 });
    expect(standIn.messages).toHaveLength(5);
    expect((await rowsOf(merchantId)).map((r) => [r.status, r.attempts])).toEqual(Array(5).fill(["sent", 2]));
    expect(await eventsOf(merchantId)).toEqual([...Array(5).fill("attempt_failed"), ...Array(5).fill("sent")]);
  });

  it("fails a mail for good on a validation error (alone in its batch), and after its last try", async () => {
    standIn = await startResendStandIn();
    standIn.rejectAddress("member1@example.jp");
    const clock = simClock(START);
    const merchantId = await merchantWithMails(3, { clock, to: (i) => (i === 2 ? "not-an-address" : `member${i}@example.jp`) });
    expect(await deliverMails(worker(clock, resendMailer()), OPTIONS)).toMatchObject({ sent: 1, failed: 2, retried: 0 });
    expect((await rowsOf(merchantId)).map((r) => [r.status, r.statusReason, r.lastError?.slice(0, 16) ?? null])).toEqual([
      ["sent", null, null],
      ["failed", "rejected", "Invalid `to` fie"],
      ["failed", "rejected", "Invalid `to` fie"],
    ]);

    const single = await merchantWithMails(1, { clock, to: () => "member1@example.jp" });
    await deliverMails(worker(clock, resendMailer()), OPTIONS);
    expect((await rowsOf(single)).map((r) => [r.status, r.lastError?.slice(0, 20)])).toEqual([["failed", "422 validation_error"]]);

    standIn.breakAddress("member9@example.jp");
    const exhausted = await merchantWithMails(1, { clock, to: () => "member9@example.jp" });
    await deliverMails(worker(clock, resendMailer({ tries: 1 })), { ...OPTIONS, maxAttempts: 1 });
    expect((await rowsOf(exhausted)).map((r) => [r.status, r.statusReason])).toEqual([["failed", "retries_exhausted"]]);
    expect(await eventsOf(exhausted)).toEqual(["failed"]);
  });

  it("one idempotency key, two sends: Resend sends once; a crash after the request replays the same batch", async () => {
    standIn = await startResendStandIn();
    const mailer = resendMailer();
    const mail = { from: "a@keizoku.test", to: "x@example.jp", replyTo: null, subject: "件名", html: "<p>x</p>", text: "x", idempotencyKey: "mail/one" };
    const [a] = await mailer.send([mail]);
    const [b] = await mailer.send([mail]);
    expect(a).toEqual(b);
    const batch = [mail, { ...mail, to: "y@example.jp", idempotencyKey: "mail/two" }];
    expect(await mailer.send(batch)).toEqual(await mailer.send(batch));
    expect(standIn.messages).toHaveLength(3);
    expect(standIn.counts.replays).toBe(2);

    const clock = simClock(START);
    const merchantId = await merchantWithMails(120, { clock });
    // The worker dies after Resend accepted the batches, before it recorded anything.
    const crashing: Mailer = {
      name: "crashing",
      async send(b) {
        await mailer.send(b);
        throw new Error("killed");
      },
    };
    await expect(deliverMails(worker(clock, crashing), OPTIONS)).rejects.toThrow("killed");
    for (let i = 0; i < 100 && standIn.messages.length < 123; i++) await new Promise((r) => setTimeout(r, 20)); // the other batch's request
    expect(standIn.messages).toHaveLength(123);
    clock.set(new Date(START.getTime() + 61_000)); // the lease lapses
    // A claim of 30 brings whole batches back (of 100 and 20), each sent again as the same request.
    const replay = await deliverMails(worker(clock, mailer), { ...OPTIONS, limit: 30 });
    expect([100, 120]).toContain(replay.claimed);
    expect(replay.sent).toBe(replay.claimed);
    await drain(worker(clock, mailer));
    expect(standIn.messages).toHaveLength(123);
    expect(standIn.counts.replays).toBe(2 + 2);
    const rows = await rowsOf(merchantId);
    expect(rows.map((r) => r.providerMessageId).sort()).toEqual(standIn.messages.slice(3).map((m) => m.id).sort());
  });

  it("two workers at once: each mail sent once", async () => {
    standIn = await startResendStandIn({ rate: 20, burst: 5 });
    const clock = simClock(START);
    const merchantId = await merchantWithMails(600, { clock });
    const run = () => drain(worker(clock, resendMailer()), { limit: 150, batchSize: 50, concurrency: 2 });
    await Promise.all([run(), run()]);
    expect(standIn.messages).toHaveLength(600);
    expect(new Set(standIn.messages.map((m) => m.to)).size).toBe(600);
    expect((await rowsOf(merchantId)).filter((r) => r.status === "sent")).toHaveLength(600);
  });
});

describe("attachments (a 後払い invoice's PDF)", () => {
  /** A merchant with a shipped order and its invoice mail naming the PDF (as shipLockedOrder queues it), and `plain` other mails. */
  async function invoiceMail(plain: number, clock: SimClock) {
    const merchantId = await merchantWithMails(plain, { clock });
    const order = await seedAtobaraiOrder(database, merchantId, { shippedAt: START, dueOn: "2027-03-15", orderRef: `INV-${merchantId.slice(-6)}` });
    await enqueueMails(database.db, [
      {
        merchantId,
        template: "atobarai_invoice",
        to: order.buyerEmail,
        locale: "ja",
        variables: { merchant: "ヨガ教室", name: order.buyerName, order_ref: order.orderRef, payment_number: order.paymentNumber!, bank_reference: order.bankReference! },
        links: { atobarai_invoice: order.id },
        attachments: [{ kind: "atobarai_invoice", orderId: order.id, filename: atobaraiInvoiceFilename(order.orderRef) }],
        idempotencyKey: `atobarai_invoice:${order.id}`,
        at: START,
      },
    ]);
    const row = (await rowsOf(merchantId)).find((r) => r.template === "atobarai_invoice")!;
    return { merchantId, order, row };
  }

  it("renders the PDF as the mail is sent and attaches it: the mail alone to POST /emails with its key, the others in their batch", async () => {
    standIn = await startResendStandIn();
    const clock = simClock(START);
    const { merchantId, order, row } = await invoiceMail(3, clock);
    expect(await deliverMails(worker(clock, resendMailer()), OPTIONS)).toMatchObject({ claimed: 4, sent: 4, retried: 0, failed: 0 });
    expect(standIn.counts.requests).toBe(2); // the three plain mails in one batch, the invoice alone
    const [message] = standIn.messages.filter((m) => m.to === order.buyerEmail);
    expect(message).toMatchObject({ idempotencyKey: mailKeyOf(row), attachments: [{ filename: `請求書_${order.orderRef}.pdf`, contentType: "application/pdf" }] });
    expect(standIn.messages.filter((m) => m.attachments.length > 0)).toHaveLength(1);
    // The same file the /b/ link opens, in Japanese with the order's numbers in it.
    const pdf = Buffer.from(message!.attachments[0]!.content, "base64");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.equals(await atobaraiInvoicePdf((await getAtobaraiInvoiceView({ db: database.db, merchantId }, order.id))!))).toBe(true);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
    expect(text).toContain(order.paymentNumber);
    expect(text).toContain(order.bankReference);
    expect(text).toContain(`注文番号：${order.orderRef}`);
    // The link stays in the mail as a fallback; the row stores no file.
    expect(message!.text).toContain(`${TEST_LINKS.baseUrl}/b/`);
    const [sent] = (await rowsOf(merchantId)).filter((r) => r.id === row.id);
    expect(sent).toMatchObject({ status: "sent", providerMessageId: message!.id, attachments: row.attachments });
  });

  it("a crash after Resend accepted the mail: sent again with the same PDF under the same key, delivered once", async () => {
    standIn = await startResendStandIn();
    const clock = simClock(START);
    const mailer = resendMailer();
    const { merchantId, order, row } = await invoiceMail(2, clock);
    const crashing: Mailer = {
      name: "crashing",
      async send(b) {
        await mailer.send(b);
        throw new Error("killed");
      },
    };
    await expect(deliverMails(worker(clock, crashing), OPTIONS)).rejects.toThrow("killed");
    for (let i = 0; i < 100 && standIn.messages.length < 3; i++) await new Promise((r) => setTimeout(r, 20)); // the other request
    expect(standIn.messages).toHaveLength(3);
    expect((await rowsOf(merchantId)).map((r) => r.status)).toEqual(["queued", "queued", "queued"]);
    clock.set(new Date(START.getTime() + 61_000)); // the lease lapses
    expect(await deliverMails(worker(clock, mailer), OPTIONS)).toMatchObject({ claimed: 3, sent: 3 });
    expect(standIn.messages).toHaveLength(3);
    expect(standIn.counts.replays).toBe(2);
    const delivered = standIn.messages.filter((m) => m.to === order.buyerEmail);
    expect(delivered).toHaveLength(1);
    expect((await rowsOf(merchantId)).find((r) => r.id === row.id)).toMatchObject({ status: "sent", providerMessageId: delivered[0]!.id, attempts: 2 });
  });

  it("the adapter takes a mail with attachments out of any batch; a replay of the batch is the same requests", async () => {
    standIn = await startResendStandIn();
    const mailer = resendMailer();
    const mail = { from: "a@keizoku.test", to: "x@example.jp", replyTo: null, subject: "件名", html: "<p>x</p>", text: "x", idempotencyKey: "mail/plain-1" };
    const file = { filename: "請求書_A-1.pdf", content: Buffer.from("%PDF-1.3 not really"), contentType: "application/pdf" };
    const batch = [mail, { ...mail, to: "pdf@example.jp", idempotencyKey: "mail/pdf", attachments: [file] }, { ...mail, to: "y@example.jp", idempotencyKey: "mail/plain-2" }];
    const first = await mailer.send(batch);
    expect(first.map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
    expect(standIn.counts.requests).toBe(2);
    const attached = standIn.messages.find((m) => m.to === "pdf@example.jp")!;
    expect(attached).toMatchObject({ idempotencyKey: "mail/pdf", attachments: [{ filename: "請求書_A-1.pdf", contentType: "application/pdf", content: file.content.toString("base64") }] });
    expect(first[1]).toEqual({ status: "sent", providerMessageId: attached.id });
    expect(await mailer.send(batch)).toEqual(first);
    expect(standIn.messages).toHaveLength(3);
    expect(standIn.counts.replays).toBe(2);
  });

  it("an attachment that cannot be rendered holds back its own mail only, which is tried again", async () => {
    standIn = await startResendStandIn();
    const clock = simClock(START);
    const { merchantId, row } = await invoiceMail(2, clock);
    await database.db.update(mails).set({ attachments: [{ kind: "atobarai_invoice", orderId: "abo_missing", filename: "請求書_X.pdf" }] }).where(eq(mails.id, row.id));
    expect(await deliverMails(worker(clock, resendMailer()), OPTIONS)).toMatchObject({ claimed: 3, sent: 2, retried: 1 });
    expect(standIn.messages).toHaveLength(2);
    const held = (await rowsOf(merchantId)).find((r) => r.id === row.id)!;
    expect(held).toMatchObject({ status: "queued", attempts: 1 });
    expect(held.lastError).toMatch(/^attachment not rendered: .*abo_missing/);
  });
});

describe("delivery without a provider, to suppressed addresses, and mails switched off", () => {
  it("renders and stores a mail but marks it not delivered (no mail provider); a suppressed address gets nothing; skipped rows stay", async () => {
    const clock = simClock(START);
    const merchantId = await merchantWithMails(3, { clock, to: (i) => (i === 1 ? "Bounced@Example.jp" : `member${i}@example.jp`) });
    await database.db.insert(mailSuppressions).values({ id: newId("msup"), merchantId, address: "bounced@example.jp", reason: "bounced" });
    await enqueueMails(database.db, [{ merchantId, template: "welcome", to: "off@example.jp", locale: "ja", variables: {}, idempotencyKey: "off", at: START, skipped: "disabled_for_product" }]);
    const pass = await deliverMails(worker(clock, outboxMailer), OPTIONS);
    expect(pass).toMatchObject({ claimed: 3, notDelivered: 2, suppressed: 1, sent: 0 });
    const rows = await rowsOf(merchantId);
    expect(rows.map((r) => [r.idempotencyKey, r.status, r.statusReason, r.renderedAt !== null])).toEqual([
      ["off", "skipped", "disabled_for_product", false],
      ["welcome:0", "not_delivered", "no_mail_provider", true],
      ["welcome:1", "suppressed", "address_suppressed", false],
      ["welcome:2", "not_delivered", "no_mail_provider", true],
    ]);
    expect(rows[1]!.html).toBeTruthy();
    expect(await eventsOf(merchantId)).toEqual(["not_delivered", "not_delivered", "suppressed"]);
    const again = await database.db.select().from(mails).where(and(eq(mails.merchantId, merchantId), inArray(mails.status, ["queued"])));
    expect(again).toEqual([]);
  });
});
