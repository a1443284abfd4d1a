import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { merchants, products } from "@/db/schema";
import { CUSTOMER_MAIL_TEMPLATES, type MailTemplate } from "@/lib/billing/mail-template";
import type { MailOverride, MailSettings } from "@/lib/mail/mail-settings";
import { type OverrideProblem, problemsOf } from "@/lib/mail/validate-mail-override";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput, ServiceError } from "./errors";
import { recordAudit } from "./internal/audit";

/**
 * A merchant's wording that problemsOf refused: `invalid`, with every problem (field, code and variable) so that the
 * console can name each in the reader's language; the message names them for API callers.
 */
export class MailOverrideError extends ServiceError {
  constructor(readonly problems: OverrideProblem[]) {
    super("invalid", `The mail's wording has problems: ${problems.map(describe).join("; ")}`, { param: problems[0]?.field, reason: "mail_override" });
  }
}

function describe(problem: OverrideProblem): string {
  return "variable" in problem ? `${problem.field}: ${problem.code} %%${problem.variable}%%` : `${problem.field}: ${problem.code}`;
}

/** Raises MailOverrideError when the wording cannot be saved or sent as it is. */
export function assertOverride(template: MailTemplate, override: MailOverride): void {
  const problems = problemsOf(template, override);
  if (problems.length > 0) throw new MailOverrideError(problems);
}

export const mailOverrideInput = z.object({
  enabled: z.boolean().optional(),
  /** Unset: Keizoku's default subject in the customer's language. */
  subject: z.string().max(1000).nullish(),
  /** Unset or empty: Keizoku's default body. */
  body: z.string().max(20_000).nullish(),
});

export const updateMailSettingsInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("template"),
    template: z.enum(CUSTOMER_MAIL_TEMPLATES),
    /** A product's own wording, or the merchant's (null). */
    productId: z.string().max(100).nullish(),
    /** null: the product uses the merchant's setting again (for the merchant: Keizoku's defaults). */
    override: mailOverrideInput.nullable(),
  }),
  z.object({
    kind: z.literal("sender"),
    senderName: z.string().trim().max(100).nullish(),
    replyTo: z.string().trim().max(320).pipe(z.union([z.literal(""), z.email("not a valid email address")])).nullish(),
    footer: z.string().max(2000).nullish(),
  }),
]);

/** Only the fields given: an unset subject or body falls back to the merchant's setting, then to the default. */
function cleanOverride(input: z.infer<typeof mailOverrideInput>): MailOverride {
  const override: MailOverride = {};
  if (input.enabled !== undefined) override.enabled = input.enabled;
  if (input.subject !== undefined && input.subject !== null) override.subject = input.subject;
  if (input.body) override.body = input.body;
  return override;
}

const blankToNull = (value: string | null | undefined) => (value && value.trim() !== "" ? value : null);

/**
 * Saves one mail's switch and wording for the merchant or one of its products, or the merchant's sender name,
 * reply-to address and footer. Wording with an unknown variable, one the mail does not carry or an empty subject is
 * refused with each problem named, and nothing is changed.
 */
export async function updateMailSettings(ctx: ServiceContext, input: z.input<typeof updateMailSettingsInput>) {
  const data = parseInput(updateMailSettingsInput, input);
  authorize(ctx.actor, "settings.manage");
  const at = ctx.clock.now();
  if (data.kind === "sender") {
    const values = { senderName: blankToNull(data.senderName), mailReplyTo: blankToNull(data.replyTo)?.toLowerCase() ?? null, mailFooter: blankToNull(data.footer) };
    return ctx.db.transaction(async (tx) => {
      const [before] = await tx
        .select({ senderName: merchants.senderName, mailReplyTo: merchants.mailReplyTo, mailFooter: merchants.mailFooter })
        .from(merchants)
        .where(eq(merchants.id, ctx.merchantId))
        .for("update");
      if (!before) throw notFound("merchant", ctx.merchantId);
      await tx.update(merchants).set(values).where(eq(merchants.id, ctx.merchantId));
      await recordAudit(tx, ctx, { action: "mail_sender.updated", targetType: "merchant", targetId: ctx.merchantId, data: { before, after: values }, at });
      return values;
    });
  }
  const override = data.override ? cleanOverride(data.override) : null;
  if (override) assertOverride(data.template, override);
  return ctx.db.transaction(async (tx) => {
    const target = data.productId ? products : merchants;
    const id = data.productId ?? ctx.merchantId;
    const where = data.productId ? and(eq(products.id, data.productId), eq(products.merchantId, ctx.merchantId)) : eq(merchants.id, ctx.merchantId);
    const [row] = await tx.select({ mailSettings: target.mailSettings }).from(target).where(where).for("update");
    if (!row) throw data.productId ? notFound("product", data.productId, "productId") : notFound("merchant", ctx.merchantId);
    const settings: MailSettings = { ...row.mailSettings };
    const before = settings[data.template] ?? null;
    if (override) settings[data.template] = override;
    else delete settings[data.template];
    await tx.update(target).set({ mailSettings: settings }).where(where);
    await recordAudit(tx, ctx, {
      action: "mail_settings.updated",
      targetType: data.productId ? "product" : "merchant",
      targetId: id,
      data: { template: data.template, before, after: override },
      at,
    });
    return { template: data.template, productId: data.productId ?? null, override };
  });
}
