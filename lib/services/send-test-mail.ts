import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { mails, merchants, staffUsers } from "@/db/schema";
import { newId } from "@/lib/ids";
import { renderMail } from "@/lib/mail/render-mail";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { invalid, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { editorOverride, mailVariablesFor, previewMailInput } from "./preview-mail";
import { assertOverride } from "./update-mail-settings";

export const sendTestMailInput = previewMailInput.omit({ locale: true });

/**
 * Queues the editor's wording of a mail (saved or not) to the signed-in staff member's own address: rendered now and
 * stored, so the delivery worker sends it as it is, and the outbox shows it. Not a customer's mail: no customer, no
 * contract on the row, a key of its own. Wording with problems is refused as a save would be.
 */
export async function sendTestMail(ctx: ServiceContext, input: z.input<typeof sendTestMailInput>) {
  const data = parseInput(sendTestMailInput, input);
  authorize(ctx.actor, "settings.manage");
  if (ctx.actor.type !== "staff") throw invalid("A test mail goes to a signed-in staff member's address", undefined, "no_staff_address");
  const override = editorOverride(data.override);
  if (override) assertOverride(data.template, override);
  const now = ctx.clock.now();
  const staffId = ctx.actor.id;
  return ctx.db.transaction(async (tx) => {
    const [staff] = await tx
      .select({ email: staffUsers.email, locale: staffUsers.locale })
      .from(staffUsers)
      .where(and(eq(staffUsers.id, staffId), eq(staffUsers.merchantId, ctx.merchantId)));
    if (!staff) throw notFound("staff user", staffId);
    const [merchant] = await tx.select({ replyTo: merchants.mailReplyTo }).from(merchants).where(eq(merchants.id, ctx.merchantId));
    const variables = await mailVariablesFor({ ...ctx, db: tx }, data.template, data.subscriptionId ?? null);
    const rendered = await renderMail({ template: data.template, locale: staff.locale, variables, override });
    const id = newId("mail");
    const [row] = await tx
      .insert(mails)
      .values({
        id,
        merchantId: ctx.merchantId,
        template: data.template,
        toAddress: staff.email,
        locale: staff.locale,
        subject: rendered.subject,
        html: rendered.html,
        textBody: rendered.text,
        replyTo: merchant?.replyTo ?? null,
        renderedAt: now,
        variables,
        idempotencyKey: `test_send:${randomUUID()}`,
        status: "queued",
        queuedAt: now,
      })
      .returning();
    await recordAudit(tx, ctx, { action: "mail.test_sent", targetType: "mail", targetId: id, data: { template: data.template, subscriptionId: data.subscriptionId ?? null }, at: now });
    return row!;
  });
}
