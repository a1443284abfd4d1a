import { sql } from "drizzle-orm";
import { bulkInsert } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { mails } from "@/db/schema";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { newId } from "@/lib/ids";

export type MailToQueue = {
  merchantId: string;
  template: MailTemplate;
  to: string;
  locale: "ja" | "en";
  variables: Record<string, string>;
  idempotencyKey: string;
  at: Date;
  customerId?: string | null;
  subscriptionId?: string | null;
  invoiceId?: string | null;
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
        template: mail.template,
        toAddress: mail.to,
        locale: mail.locale,
        variables: mail.variables,
        idempotencyKey: mail.idempotencyKey,
      queuedAt: mail.at,
    })),
    { onConflict: sql`on conflict (merchant_id, idempotency_key) do nothing` },
  );
}

export async function enqueueMail(tx: Db, mail: MailToQueue): Promise<void> {
  await enqueueMails(tx, [mail]);
}
