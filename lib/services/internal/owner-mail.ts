import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, staffUsers } from "@/db/schema";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { enqueueMails } from "@/lib/mail/enqueue-mail";

export type OwnerMailRecipient = { id: string; email: string; locale: "ja" | "en" };
export type OwnerMailMerchant = { name: string; senderName: string | null; timeZone: string };

/**
 * Queues one of Keizoku's mails to each of a merchant's owners, in the owner's language, from the merchant's
 * sender name: the variables and key are made per owner (dates in the merchant's time zone, one mail per owner).
 */
export async function mailOwners(
  tx: Db,
  input: {
    merchantId: string;
    template: MailTemplate;
    at: Date;
    variables: (owner: OwnerMailRecipient, merchant: OwnerMailMerchant) => Record<string, string>;
    idempotencyKey: (owner: OwnerMailRecipient) => string;
  },
): Promise<void> {
  const [merchant] = await tx.select({ name: merchants.name, senderName: merchants.senderName, timeZone: merchants.timeZone }).from(merchants).where(eq(merchants.id, input.merchantId));
  if (!merchant) return;
  const owners = await tx
    .select({ id: staffUsers.id, email: staffUsers.email, locale: staffUsers.locale })
    .from(staffUsers)
    .where(and(eq(staffUsers.merchantId, input.merchantId), eq(staffUsers.role, "owner")));
  await enqueueMails(
    tx,
    owners.map((owner) => ({
      merchantId: input.merchantId,
      template: input.template,
      to: owner.email,
      locale: owner.locale,
      variables: { merchant: merchant.senderName ?? merchant.name, footer: merchant.name, ...input.variables(owner, merchant) },
      idempotencyKey: input.idempotencyKey(owner),
      at: input.at,
    })),
  );
}
