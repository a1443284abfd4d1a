import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { mailEvents, mails, mailSuppressions } from "@/db/schema";
import { newId } from "@/lib/ids";
import { systemClock } from "@/lib/services/context";
import { setupTestMerchant } from "@/test/support/merchant";
import { openTestDatabase } from "@/test/support/database";
import { signResendWebhook } from "@/test/support/resend-stand-in";
import { handleResendWebhook } from "./resend-webhook";

/** The webhook as Resend calls it: svix-signed JSON (signed here with the Standard Webhooks scheme), verified by the SDK. */
const SECRET = `whsec_${Buffer.from("keizoku-test-webhook-secret-0123").toString("base64")}`;
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

async function sentMail(to = "Member@Example.jp") {
  const m = await setupTestMerchant(database);
  const id = newId("mail");
  const providerMessageId = `re_${id}`;
  await database.db.insert(mails).values({ id, merchantId: m.merchantId, template: "welcome", toAddress: to, variables: {}, idempotencyKey: id, status: "sent", providerMessageId, queuedAt: new Date(), sentAt: new Date() });
  return { merchantId: m.merchantId, id, providerMessageId };
}

function webhook(payload: unknown, options: { id?: string; at?: number; secret?: string; tamper?: boolean } = {}) {
  const body = JSON.stringify(payload);
  const headers = signResendWebhook(options.secret ?? SECRET, options.id ?? newId("evt"), options.at ?? Math.floor(Date.now() / 1000), body);
  return new Request("http://localhost/api/webhooks/resend", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: options.tamper ? body.replace("email", "EMAIL") : body });
}

const post = (request: Request) => handleResendWebhook(request, { db: database.db, clock: systemClock }, SECRET);
const event = (type: string, emailId: string, extra: Record<string, unknown> = {}) => ({ type, created_at: "2027-03-01T00:00:05.000Z", data: { email_id: emailId, to: ["member@example.jp"], ...extra } });

describe("POST /api/webhooks/resend", () => {
  it("marks a mail delivered, once per svix-id", async () => {
    const mail = await sentMail();
    const svixId = newId("evt");
    const request = () => webhook(event("email.delivered", mail.providerMessageId), { id: svixId });
    const first = await post(request());
    expect([first.status, await first.json()]).toEqual([200, { ok: true, outcome: "recorded" }]);
    expect(await (await post(request())).json()).toEqual({ ok: true, outcome: "duplicate" });
    const [row] = await database.db.select().from(mails).where(eq(mails.id, mail.id));
    expect([row!.deliveryStatus, row!.deliveryStatusAt]).toEqual(["delivered", new Date("2027-03-01T00:00:05.000Z")]);
    expect((await database.db.select().from(mailEvents).where(eq(mailEvents.mailId, mail.id))).map((e) => [e.kind, e.providerEventId])).toEqual([["delivered", svixId]]);
  });

  it("suppresses the address (lower-cased) on a hard bounce or a complaint, not on a soft bounce; a late 'delivered' does not undo it", async () => {
    const soft = await sentMail("soft@example.jp");
    await post(webhook(event("email.bounced", soft.providerMessageId, { bounce: { type: "Transient", subType: "MailboxFull", message: "full" } })));
    expect(await database.db.select().from(mailSuppressions).where(eq(mailSuppressions.merchantId, soft.merchantId))).toEqual([]);

    const hard = await sentMail();
    await post(webhook(event("email.bounced", hard.providerMessageId, { bounce: { type: "Permanent", subType: "General", message: "no such user" } })));
    await post(webhook(event("email.delivered", hard.providerMessageId)));
    const [row] = await database.db.select().from(mails).where(eq(mails.id, hard.id));
    expect(row!.deliveryStatus).toBe("bounced");
    expect((await database.db.select().from(mailSuppressions).where(eq(mailSuppressions.merchantId, hard.merchantId))).map((s) => [s.address, s.reason, s.sourceMailId])).toEqual([["member@example.jp", "bounced", hard.id]]);

    const complaint = await sentMail("Angry@Example.jp");
    await post(webhook(event("email.complained", complaint.providerMessageId)));
    await post(webhook(event("email.delivery_delayed", complaint.providerMessageId)));
    expect((await database.db.select().from(mails).where(eq(mails.id, complaint.id)))[0]!.deliveryStatus).toBe("complained");
    expect((await database.db.select().from(mailSuppressions).where(eq(mailSuppressions.merchantId, complaint.merchantId))).map((s) => [s.address, s.reason])).toEqual([["angry@example.jp", "complained"]]);
  });

  it("marks a delay, and answers 200 for mails it does not know and event types it does not use", async () => {
    const mail = await sentMail();
    await post(webhook(event("email.delivery_delayed", mail.providerMessageId)));
    expect((await database.db.select().from(mails).where(eq(mails.id, mail.id)))[0]!.deliveryStatus).toBe("delayed");
    const unknown = await post(webhook(event("email.delivered", "re_not_ours")));
    expect([unknown.status, await unknown.json()]).toEqual([200, { ok: true, outcome: "unknown_mail" }]);
    expect(await (await post(webhook(event("email.opened", mail.providerMessageId)))).json()).toEqual({ ok: true, outcome: "ignored_type" });
  });

  it("refuses a bad, stale or missing signature (400) and writes nothing; refuses everything without a secret (503)", async () => {
    const mail = await sentMail();
    const payload = event("email.complained", mail.providerMessageId);
    const otherSecret = `whsec_${Buffer.from("another-secret-another-secret-00").toString("base64")}`;
    const refused = [
      webhook(payload, { secret: otherSecret }),
      webhook(payload, { tamper: true }),
      webhook(payload, { at: Math.floor(Date.now() / 1000) - 10 * 60 }),
      new Request("http://localhost/api/webhooks/resend", { method: "POST", body: JSON.stringify(payload) }),
    ];
    for (const request of refused) expect((await post(request)).status).toBe(400);
    expect((await handleResendWebhook(webhook(payload), { db: database.db, clock: systemClock }, undefined)).status).toBe(503);
    const [row] = await database.db.select().from(mails).where(eq(mails.id, mail.id));
    expect(row!.deliveryStatus).toBeNull();
    expect(await database.db.select().from(mailEvents).where(eq(mailEvents.mailId, mail.id))).toEqual([]);
    expect(await database.db.select().from(mailSuppressions).where(eq(mailSuppressions.merchantId, mail.merchantId))).toEqual([]);
  });
});
