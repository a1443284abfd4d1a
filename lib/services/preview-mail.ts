import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { customers, merchants, plans, products, subscriptions, testClocks } from "@/db/schema";
import { CUSTOMER_MAIL_TEMPLATES, type MailTemplate } from "@/lib/billing/mail-template";
import { contractMailLinks, contractMailVariables } from "@/lib/mail/contract-mail";
import { mailLinkVariables } from "@/lib/mail/links";
import { sampleVariables, variablesOf } from "@/lib/mail/mail-variables";
import type { MailOverride } from "@/lib/mail/mail-settings";
import { type RenderedMail, renderMail } from "@/lib/mail/render-mail";
import { problemsOf, type OverrideProblem } from "@/lib/mail/validate-mail-override";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import type { Contract } from "./internal/contract";
import { mailOverrideInput } from "./update-mail-settings";

export const previewMailInput = z.object({
  template: z.enum(CUSTOMER_MAIL_TEMPLATES),
  /** The editor's wording as it is now, saved or not. */
  override: mailOverrideInput.nullish(),
  /** A contract of the merchant whose values fill the variables; none: sample values. */
  subscriptionId: z.string().max(100).nullish(),
  locale: z.enum(["ja", "en"]).default("ja"),
});

export type MailPreview = RenderedMail & { variables: Record<string, string>; problems: OverrideProblem[]; subscriptionId: string | null };

/** The editor's wording of a mail (unsaved), or none, as the override renderMail takes. */
export function editorOverride(input: z.infer<typeof mailOverrideInput> | null | undefined): MailOverride | null {
  if (!input) return null;
  const override: MailOverride = {};
  if (input.subject !== undefined && input.subject !== null) override.subject = input.subject;
  if (input.body) override.body = input.body;
  return override.subject !== undefined || override.body ? override : null;
}

/**
 * A mail as a customer would get it, with the editor's unsaved wording and a real contract's values (or samples).
 * Nothing is written; every role may look. Problems are returned beside the rendering rather than refused, so the
 * editor can show both while the merchant types.
 */
export async function previewMail(ctx: ServiceContext, input: z.input<typeof previewMailInput>): Promise<MailPreview> {
  const data = parseInput(previewMailInput, input);
  const override = editorOverride(data.override);
  const variables = await mailVariablesFor(ctx, data.template, data.subscriptionId ?? null, data.locale);
  const rendered = await renderMail({ template: data.template, locale: data.locale, variables, override });
  return { ...rendered, variables, problems: override ? problemsOf(data.template, override) : [], subscriptionId: data.subscriptionId ?? null };
}

type VariableContext = Pick<ServiceContext, "db" | "merchantId" | "clock" | "links">;

/** A contract's values, or samples with the merchant's own name and footer. */
export async function mailVariablesFor(ctx: VariableContext, template: MailTemplate, subscriptionId: string | null, locale: "ja" | "en" = "ja"): Promise<Record<string, string>> {
  if (subscriptionId) return contractVariables(ctx, template, subscriptionId);
  const [merchant] = await ctx.db.select({ name: merchants.name, senderName: merchants.senderName, footer: merchants.mailFooter }).from(merchants).where(eq(merchants.id, ctx.merchantId));
  if (!merchant) throw notFound("merchant", ctx.merchantId);
  return { ...sampleVariables(template, locale), merchant: merchant.senderName ?? merchant.name, footer: merchant.footer ?? merchant.name };
}

/**
 * The variables a contract's mail of this kind would carry now: the contract's own, and samples for those only the
 * event itself gives (a receipt's link, a decline, a resume date).
 */
async function contractVariables(ctx: VariableContext, template: MailTemplate, subscriptionId: string) {
  const contract = await readContract(ctx.db, ctx.merchantId, subscriptionId, ctx.clock.now());
  // The contract's card link signed now, as the delivery worker would sign it when sending the mail.
  const links = await mailLinkVariables(ctx.links, contract.sub.merchantId, contractMailLinks(contract), ctx.clock.now());
  const own = { ...contractMailVariables(contract, ctx.links), ...links };
  const carried = new Set<string>(variablesOf(template));
  return { ...sampleVariables(template), ...Object.fromEntries(Object.entries(own).filter(([name]) => carried.has(name))) };
}

/** A contract as contractMailVariables reads it, without locking it (a preview changes nothing). */
async function readContract(db: Db, merchantId: string, subscriptionId: string, now: Date): Promise<Contract> {
  const [row] = await db
    .select({ sub: subscriptions, customer: customers, plan: plans, product: products, merchant: merchants, clockTime: testClocks.frozenTime })
    .from(subscriptions)
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .innerJoin(products, eq(products.id, plans.productId))
    .innerJoin(merchants, eq(merchants.id, subscriptions.merchantId))
    .leftJoin(testClocks, eq(testClocks.id, subscriptions.testClockId))
    .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.merchantId, merchantId)));
  if (!row) throw notFound("subscription", subscriptionId, "subscriptionId");
  const { clockTime, ...rest } = row;
  return { ...rest, pendingPlan: null, timeZone: row.merchant.timeZone, now: clockTime ?? now };
}
