import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { bulkInsert } from "@/db/bulk-write";
import { mailEvents, mails, mailSuppressions } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { MailDeliveryStatus } from "@/lib/mail/mail-settings";
import type { Platform } from "./context";
import { parseInput } from "./errors";
import { recordEvents } from "./internal/events";

/** The part of Resend's webhook payload this service reads; other event types and fields pass through untouched. */
export const mailWebhookInput = z.object({
  /** svix-id: one delivery of one event; Resend sends it again on retries, and it is recorded once. */
  eventId: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  createdAt: z.string().optional(),
  data: z.looseObject({
    email_id: z.string().min(1).max(200).optional(),
    bounce: z.looseObject({ type: z.string().optional(), subType: z.string().optional(), message: z.string().optional() }).optional(),
  }),
});

export type MailWebhookOutcome = "recorded" | "duplicate" | "unknown_mail" | "ignored_type";

const STATUS_OF: Record<string, MailDeliveryStatus> = {
  "email.delivered": "delivered",
  "email.delivery_delayed": "delayed",
  "email.bounced": "bounced",
  "email.complained": "complained",
};
/** A later webhook never takes back a worse state (webhooks may arrive out of order): complained > bounced > delivered > delayed. */
const RANK: Record<MailDeliveryStatus, number> = { delayed: 1, delivered: 2, bounced: 3, complained: 4 };

/**
 * Records one of Resend's (verified) webhook events against the mail it is about, found by the provider's message
 * id: once per svix-id (mail_events.provider_event_id), with the mail's delivery status; a permanent bounce or a
 * complaint puts the address on the merchant's suppression list, so later mails to it are not sent. Events about
 * mails this server does not know (another system on the same Resend account) are ignored.
 */
export async function recordMailWebhook(platform: Pick<Platform, "db" | "clock">, input: z.input<typeof mailWebhookInput>): Promise<MailWebhookOutcome> {
  const event = parseInput(mailWebhookInput, input);
  const status = STATUS_OF[event.type];
  if (!status) return "ignored_type";
  const providerId = event.data.email_id;
  if (!providerId) return "unknown_mail";
  return platform.db.transaction(async (tx) => {
    const [mail] = await tx.select({ id: mails.id, merchantId: mails.merchantId, toAddress: mails.toAddress, deliveryStatus: mails.deliveryStatus }).from(mails).where(eq(mails.providerMessageId, providerId)).limit(1);
    if (!mail) return "unknown_mail";
    const now = platform.clock.now();
    const at = event.createdAt && !Number.isNaN(Date.parse(event.createdAt)) ? new Date(event.createdAt) : now;
    const permanent = status === "complained" || (status === "bounced" && event.data.bounce?.type === "Permanent");
    const inserted = await bulkInsert(
      tx,
      mailEvents,
      [{ id: newId("mev"), merchantId: mail.merchantId, mailId: mail.id, kind: status, providerEventId: event.eventId, detail: { type: event.type, ...(event.data.bounce ? { bounce: event.data.bounce } : {}) }, at }],
      { onConflict: sql`on conflict (provider_event_id) do nothing`, returning: ["id"] },
    );
    if (inserted.length === 0) return "duplicate";
    if (!mail.deliveryStatus || RANK[status] >= RANK[mail.deliveryStatus]) {
      await tx.update(mails).set({ deliveryStatus: status, deliveryStatusAt: at }).where(eq(mails.id, mail.id));
    }
    if (status === "bounced") await recordEvents(tx, [{ merchantId: mail.merchantId, type: "mail.bounced", objectId: mail.id, at }]);
    if (permanent) {
      const address = mail.toAddress.toLowerCase();
      const added = await bulkInsert(
        tx,
        mailSuppressions,
        [{ id: newId("msup"), merchantId: mail.merchantId, address, reason: status === "complained" ? ("complained" as const) : ("bounced" as const), sourceMailId: mail.id }],
        { onConflict: sql`on conflict (merchant_id, address) do nothing`, returning: ["id"] },
      );
      if (added.length) await bulkInsert(tx, mailEvents, [{ id: newId("mev"), merchantId: mail.merchantId, mailId: mail.id, kind: "address_suppressed", detail: { address, reason: status }, at: now }]);
    }
    return "recorded";
  });
}
