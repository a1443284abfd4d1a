import { and, count, eq } from "drizzle-orm";
import { z } from "zod";
import { mailEvents, mails, mailSuppressions } from "@/db/schema";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

export const resendMailInput = z.object({ mailId: z.string().min(1).max(100) });

/**
 * Sends a mail again as it was sent: a new outbox row with the stored subject, HTML and text (not rendered again) and
 * the same attachments (rendered again when it is sent),
 * `resend_of` the original and the key `resend:<id>:<n>`, queued for the delivery worker, which signs its links
 * afresh when it sends it (the original's may have expired). Refused for a mail that
 * was never rendered (switched off, or still waiting) and while its address is on the suppression list.
 */
export async function resendMail(ctx: ServiceContext, input: z.input<typeof resendMailInput>) {
  const { mailId } = parseInput(resendMailInput, input);
  authorize(ctx.actor, "mails.operate");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    // Locked so that two resends at once number themselves one after the other.
    const [mail] = await tx.select().from(mails).where(and(eq(mails.id, mailId), eq(mails.merchantId, ctx.merchantId))).for("update");
    if (!mail) throw notFound("mail", mailId, "mailId");
    if (mail.status === "skipped") throw conflict("A mail switched off by the merchant's settings was never sent; it cannot be sent again", "mail_skipped");
    if (mail.renderedAt === null || mail.subject === null) throw conflict("The mail has not been sent yet; there is nothing to send again", "mail_not_sent_yet");
    const address = mail.toAddress.toLowerCase();
    const [suppressed] = await tx
      .select({ reason: mailSuppressions.reason })
      .from(mailSuppressions)
      .where(and(eq(mailSuppressions.merchantId, ctx.merchantId), eq(mailSuppressions.address, address)));
    if (suppressed) throw conflict(`Mails to ${address} are suppressed (${suppressed.reason}); remove it from the suppression list first`, "address_suppressed");
    const [earlier] = await tx.select({ n: count() }).from(mails).where(and(eq(mails.merchantId, ctx.merchantId), eq(mails.resendOf, mail.id)));
    const id = newId("mail");
    const [row] = await tx
      .insert(mails)
      .values({
        id,
        merchantId: ctx.merchantId,
        customerId: mail.customerId,
        subscriptionId: mail.subscriptionId,
        invoiceId: mail.invoiceId,
        productId: mail.productId,
        testClockId: mail.testClockId,
        template: mail.template,
        toAddress: mail.toAddress,
        locale: mail.locale,
        subject: mail.subject,
        html: mail.html,
        textBody: mail.textBody,
        fromHeader: mail.fromHeader,
        replyTo: mail.replyTo,
        renderedAt: mail.renderedAt,
        variables: mail.variables,
        links: mail.links,
        attachments: mail.attachments,
        idempotencyKey: `resend:${mail.id}:${(earlier?.n ?? 0) + 1}`,
        status: "queued",
        resendOf: mail.id,
        queuedAt: now,
      })
      .returning();
    await tx.insert(mailEvents).values({ id: newId("mev"), merchantId: ctx.merchantId, mailId: mail.id, kind: "resent", detail: { resendMailId: id, actor: ctx.actor.type, actorId: ctx.actor.id }, at: now });
    await recordAudit(tx, ctx, { action: "mail.resent", targetType: "mail", targetId: mail.id, data: { resendMailId: id }, at: now });
    return row!;
  });
}
