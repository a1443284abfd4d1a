"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { removeMailSuppression } from "@/lib/services/remove-mail-suppression";
import { resendMail } from "@/lib/services/resend-mail";

/* The outbox's server actions: public POST endpoints, each through staffAction to one service that checks the role. */

export async function resendOutboxMail(input: { mailId: string }): Promise<ActionResult<{ mailId: string }>> {
  const id = typeof input?.mailId === "string" ? input.mailId : "";
  return staffAction(
    async (ctx) => {
      const mail = await resendMail(ctx, { mailId: input.mailId });
      return { mailId: mail.id };
    },
    { revalidate: id ? ["/console/mails", `/console/mails/${id}`] : [] },
  );
}

export async function removeOutboxSuppression(input: { suppressionId: string }): Promise<ActionResult<{ address: string }>> {
  return staffAction(
    async (ctx) => {
      const removed = await removeMailSuppression(ctx, { suppressionId: input.suppressionId });
      return { address: removed.address };
    },
    { revalidate: ["/console/mails/suppressions"] },
  );
}
