import { eq } from "drizzle-orm";
import type { z } from "zod";
import { merchants } from "@/db/schema";
import { type BillingSettings, billingSettingsSchema, type DunningTimelineSettings } from "@/lib/billing/billing-settings";
import type { PlannedAction } from "@/lib/billing/effects";
import type { MailTemplate } from "@/lib/billing/mail-template";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { ContractWriter } from "./internal/contract-writer";
import { type ContractReplan, replanOverdueContracts } from "./internal/replan";

/**
 * A merchant's billing settings, checked by the domain's own rules: all of them, or some (the console saves its retry
 * and dunning section and its card-on-file section apart); what is left out stays as saved.
 */
export const updateBillingSettingsInput = billingSettingsSchema.partial();

type Changes = z.infer<typeof updateBillingSettingsInput>;

function merged(saved: BillingSettings, changes: Changes): BillingSettings {
  return {
    retryScheduleDays: changes.retryScheduleDays ?? saved.retryScheduleDays,
    dunning: changes.dunning ? withSavedFallback(changes.dunning, saved.dunning) : saved.dunning,
    cardOnFileWindowDays: changes.cardOnFileWindowDays ?? saved.cardOnFileWindowDays,
  };
}

/** A dunning timeline given without its fallback invoice (an API client that predates it) keeps the saved one. */
function withSavedFallback(dunning: DunningTimelineSettings, saved: DunningTimelineSettings): DunningTimelineSettings {
  if (dunning.fallbackInvoice || !saved.fallbackInvoice) return dunning;
  return { ...dunning, fallbackInvoice: saved.fallbackInvoice };
}

/**
 * Replaces the merchant's retry schedule, dunning timeline and card-on-file window (those given), and applies them to the contracts
 * that owe an invoice now: their retries, notices and withdrawal not yet run are planned again by the new settings,
 * in the same transaction, each change audited.
 */
export async function updateBillingSettings(ctx: ServiceContext, input: z.input<typeof updateBillingSettingsInput>) {
  const changes = parseInput(updateBillingSettingsInput, input);
  authorize(ctx.actor, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    const [merchant] = await tx.select({ billingSettings: merchants.billingSettings }).from(merchants).where(eq(merchants.id, ctx.merchantId)).for("update");
    if (!merchant) throw notFound("merchant", ctx.merchantId);
    const settings = merged(merchant.billingSettings, changes);
    await tx.update(merchants).set({ billingSettings: settings }).where(eq(merchants.id, ctx.merchantId));
    const replans = await replanOverdueContracts(tx, ctx.merchantId, settings, ctx.clock);
    const writer = new ContractWriter(ctx);
    for (const { contract, replan } of replans) writer.apply(contract, replan.effects);
    await writer.flush(tx);
    await recordAudit(tx, ctx, {
      action: "billing_settings.updated",
      targetType: "merchant",
      targetId: ctx.merchantId,
      data: { before: merchant.billingSettings, after: settings, contractsReplanned: replans.length },
      at: ctx.clock.now(),
    });
    return settings;
  });
}

/** A pending collection step; a dunning notice names its mail. */
export type TimelineStep = { kind: PlannedAction["kind"]; dueAt: Date; template?: MailTemplate };

export type BillingSettingsPreview = {
  /** Contracts whose planned retries, notices or withdrawal would change. */
  contractsChanged: number;
  /** One of them, before and after (its pending collection steps), or null when none changes. */
  example: { subscriptionId: string; statusBefore: SubscriptionStatus; statusAfter: SubscriptionStatus; before: TimelineStep[]; after: TimelineStep[] } | null;
};

/** What updateBillingSettings would change, with nothing written. */
export async function previewBillingSettings(ctx: ServiceContext, input: z.input<typeof updateBillingSettingsInput>): Promise<BillingSettingsPreview> {
  const changes = parseInput(updateBillingSettingsInput, input);
  authorize(ctx.actor, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    const [merchant] = await tx.select({ billingSettings: merchants.billingSettings }).from(merchants).where(eq(merchants.id, ctx.merchantId));
    if (!merchant) throw notFound("merchant", ctx.merchantId);
    const settings = merged(merchant.billingSettings, changes);
    const replans = await replanOverdueContracts(tx, ctx.merchantId, settings, ctx.clock);
    return { contractsChanged: replans.length, example: replans[0] ? example(replans[0]) : null };
  });
}

function example({ contract, replan }: ContractReplan): NonNullable<BillingSettingsPreview["example"]> {
  const step = (a: { kind: PlannedAction["kind"]; dueAt: Date; payload?: { template?: MailTemplate } | null }): TimelineStep =>
    a.kind === "dunning_notice" && a.payload?.template ? { kind: a.kind, dueAt: a.dueAt, template: a.payload.template } : { kind: a.kind, dueAt: a.dueAt };
  return {
    subscriptionId: contract.sub.id,
    statusBefore: contract.sub.status,
    statusAfter: replan.effects.changes.status ?? contract.sub.status,
    before: replan.before.map(step),
    after: replan.after.map(step),
  };
}
