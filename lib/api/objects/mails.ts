import { z } from "zod";
import type { mails } from "@/db/schema";
import { MAIL_TEMPLATES } from "@/lib/billing/mail-template";
import { defaultSubject } from "@/lib/mail/default-subjects";
import { iso, timestamp } from "../list";

export const mailObject = z
  .object({
    id: z.string(),
    object: z.literal("mail"),
    template: z.enum(MAIL_TEMPLATES),
    to: z.string(),
    subject: z.string(),
    locale: z.enum(["ja", "en"]),
    status: z.enum(["queued", "sent", "failed", "not_delivered", "skipped", "suppressed"]).describe("queued: waiting for delivery; sent: accepted by the mail provider; failed: refused by it; not_delivered: no mail provider is configured; skipped: the merchant switched this mail off; suppressed: the address is on the suppression list"),
    customer: z.string().nullable(),
    subscription: z.string().nullable(),
    invoice: z.string().nullable(),
    created: timestamp.describe("When the mail was decided on (the test clock's time for clock customers)"),
  })
  .meta({ id: "Mail" });

export function toMail(row: typeof mails.$inferSelect): z.infer<typeof mailObject> {
  return {
    id: row.id,
    object: "mail",
    template: row.template,
    to: row.toAddress,
    subject: row.subject ?? defaultSubject(row.template, row.locale, row.variables),
    locale: row.locale,
    status: row.status,
    customer: row.customerId,
    subscription: row.subscriptionId,
    invoice: row.invoiceId,
    created: iso(row.queuedAt)!,
  };
}
