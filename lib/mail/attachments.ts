/**
 * The files a mail carries, by reference (mails.attachments): what identifies each and the name it is sent under, never
 * its bytes. The delivery worker renders each from the database when it sends the mail
 * (lib/services/internal/mail-attachments.ts), with the renderer its link opens, so the file and the link are the same.
 */
export type MailAttachmentRef = { kind: "atobarai_invoice"; orderId: string; filename: string };

/** A 後払い invoice's file name, 請求書_<order_ref>.pdf (a character no file system takes is replaced by "_"). */
export function atobaraiInvoiceFilename(orderRef: string): string {
  return `請求書_${orderRef.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_")}.pdf`;
}
