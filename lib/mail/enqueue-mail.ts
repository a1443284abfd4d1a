import { sql } from "drizzle-orm";
import { bulkInsert } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { mails } from "@/db/schema";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { newId } from "@/lib/ids";
import type { MailAttachmentRef } from "./attachments";
import type { MailLinkSubjects } from "./links";

export type MailToQueue = {
  merchantId: string;
  template: MailTemplate;
  to: string;
  locale: "ja" | "en";
  variables: Record<string, string>;
  /** The signed links it carries, signed when it is sent. */
  links?: MailLinkSubjects;
  /** The files it carries, rendered when it is sent. */
  attachments?: MailAttachmentRef[];
  idempotencyKey: string;
  at: Date;
  customerId?: string | null;
  subscriptionId?: string | null;
  invoiceId?: string | null;
  productId?: string | null;
  testClockId?: string | null;
  /** Written but not to be sent: the merchant switched this mail off (the reason). */
  skipped?: "disabled_for_product" | "disabled_for_merchant" | null;
};

/** Puts mails in the outbox once each: a second decision with the same key is ignored. */
export async function enqueueMails(tx: Db, batch: readonly MailToQueue[]): Promise<void> {
  if (batch.length === 0) return;
  await bulkInsert(
    tx,
    mails,
    batch.map((mail) => ({
        id: newId("mail"),
        merchantId: mail.merchantId,
        customerId: mail.customerId ?? null,
        subscriptionId: mail.subscriptionId ?? null,
        invoiceId: mail.invoiceId ?? null,
        productId: mail.productId ?? null,
        testClockId: mail.testClockId ?? null,
        status: mail.skipped ? ("skipped" as const) : ("queued" as const),
        statusReason: mail.skipped ?? null,
        template: mail.template,
        toAddress: mail.to,
        locale: mail.locale,
        variables: mail.variables,
        links: mail.links ?? {},
        attachments: mail.attachments ?? [],
        idempotencyKey: mail.idempotencyKey,
        queuedAt: mail.at,
    })),
    { onConflict: sql`on conflict (merchant_id, idempotency_key) do nothing` },
  );
}

export async function enqueueMail(tx: Db, mail: MailToQueue): Promise<void> {
  await enqueueMails(tx, [mail]);
}
