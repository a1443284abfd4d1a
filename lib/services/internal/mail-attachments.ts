import type { Db } from "@/db/client";
import { atobaraiInvoicePdf } from "@/lib/atobarai/invoice-pdf";
import type { MailAttachmentRef } from "@/lib/mail/attachments";
import type { OutgoingAttachment } from "@/lib/mail/mailer";
import { getAtobaraiInvoiceView } from "../queries/atobarai-orders";

/**
 * A mail's attachments rendered from the database as it is sent: a 後払い invoice with the renderer its /b/ link opens
 * (so the file and the link are the same PDF). The same reference renders to the same bytes, so a batch sent again
 * after a crash is the same request. Throws when one cannot be rendered (its order has no invoice).
 */
export async function renderAttachments(db: Db, merchantId: string, refs: readonly MailAttachmentRef[]): Promise<OutgoingAttachment[]> {
  return Promise.all(
    refs.map(async (ref) => {
      const view = await getAtobaraiInvoiceView({ db, merchantId }, ref.orderId);
      if (!view) throw new Error(`attachment ${ref.filename}: order ${ref.orderId} has no invoice`);
      return { filename: ref.filename, content: await atobaraiInvoicePdf(view), contentType: "application/pdf" };
    }),
  );
}
