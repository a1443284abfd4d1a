import { z } from "zod";
import { MAIL_TEMPLATES } from "@/lib/billing/mail-template";
import type { MailStatus } from "@/lib/mail/mail-settings";
import { PAGE_SIZES } from "./subscription-search-schema";

/**
 * The outbox page's search (/console/mails): what its URL holds. Apart from the query (outbox.ts) so that the page's
 * client components can share it without the database.
 */
export const MAIL_STATUSES = ["queued", "sent", "failed", "not_delivered", "skipped", "suppressed"] as const satisfies readonly MailStatus[];

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");

export const outboxSearch = z.object({
  /** Part of the recipient's address (every word). */
  q: z.string().max(200).default(""),
  template: z.enum(MAIL_TEMPLATES).nullish(),
  status: z.enum(MAIL_STATUSES).nullish(),
  /** A contract's id, whole. */
  subscriptionId: z.string().max(100).nullish(),
  /** Queued on or after this day / on or before this day, in the merchant's time zone. */
  from: localDate.nullish(),
  to: localDate.nullish(),
  page: z.number().int().min(1).max(1_000_000).default(1),
  perPage: z.literal(PAGE_SIZES).default(PAGE_SIZES[0]),
});
export type OutboxSearch = z.infer<typeof outboxSearch>;
