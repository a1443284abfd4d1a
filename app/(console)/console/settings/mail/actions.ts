"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import type { CustomerMailTemplate } from "@/lib/billing/mail-template";
import type { OverrideProblem } from "@/lib/mail/validate-mail-override";
import { previewMail } from "@/lib/services/preview-mail";
import { sendTestMail } from "@/lib/services/send-test-mail";
import { MailOverrideError, updateMailSettings } from "@/lib/services/update-mail-settings";

/*
 * The メール設定 page's server actions: each a public POST endpoint going through staffAction to one service, which
 * checks the role and the wording itself. Wording the service refuses comes back as its problems (field, code,
 * variable), which the page words in the reader's language next to the field.
 */

const PAGE = "/console/settings/mail";

type Wording = { enabled?: boolean; subject?: string | null; body?: string | null };
export type Problems = { problems: OverrideProblem[] };

async function orProblems<T>(run: () => Promise<T>): Promise<T | Problems> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof MailOverrideError) return { problems: error.problems };
    throw error;
  }
}

/** One mail's switch and wording, for the merchant (productId null) or a product; override null: the merchant's again. */
export async function saveMailTemplate(input: { template: CustomerMailTemplate; productId: string | null; override: Wording | null }): Promise<ActionResult<Problems>> {
  return staffAction(
    (ctx) =>
      orProblems(async () => {
        await updateMailSettings(ctx, { kind: "template", template: input.template, productId: input.productId, override: input.override });
        return { problems: [] };
      }),
    { revalidate: [PAGE] },
  );
}

export async function saveMailSender(input: { senderName: string; replyTo: string; footer: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await updateMailSettings(ctx, { kind: "sender", senderName: input.senderName, replyTo: input.replyTo, footer: input.footer });
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export type PreviewView = { subject: string; html: string; text: string; problems: OverrideProblem[] };

/** The editor's unsaved wording rendered with a contract's values or samples; nothing is written. */
export async function previewMailWording(input: { template: CustomerMailTemplate; override: Wording | null; subscriptionId: string | null }): Promise<ActionResult<PreviewView>> {
  return staffAction(async (ctx) => {
    const preview = await previewMail(ctx, { template: input.template, override: input.override, subscriptionId: input.subscriptionId });
    return { subject: preview.subject, html: preview.html, text: preview.text, problems: preview.problems };
  });
}

/** Queues the editor's wording to the signed-in staff member's address. */
export async function sendTestMailWording(input: { template: CustomerMailTemplate; override: Wording | null; subscriptionId: string | null }): Promise<ActionResult<{ to: string; mailId: string } | Problems>> {
  return staffAction(
    (ctx) =>
      orProblems(async () => {
        const mail = await sendTestMail(ctx, { template: input.template, override: input.override, subscriptionId: input.subscriptionId });
        return { to: mail.toAddress, mailId: mail.id };
      }),
    { revalidate: ["/console/mails"] },
  );
}
