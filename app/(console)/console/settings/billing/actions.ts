"use server";

import type { DunningTimelineSettings } from "@/lib/billing/billing-settings";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { type ActionResult, staffAction } from "@/lib/console/action";
import type { MypagePolicy } from "@/lib/mypage/policy";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import { previewBillingSettings, type TimelineStep, updateBillingSettings } from "@/lib/services/update-billing-settings";
import type { StripeCredentialName } from "@/lib/gateways/stripe-accounts";
import { clearStripeCredential, setStripeCredential } from "@/lib/services/stripe-credentials";
import { updateInvoiceRegistrationNumber } from "@/lib/services/update-invoice-registration-number";
import { updateMypagePolicy } from "@/lib/services/update-mypage-policy";
import { updateTimeZone } from "@/lib/services/update-time-zone";
import { updateTokushohoUrl } from "@/lib/services/update-tokushoho-url";

/*
 * The 請求設定 page's server actions: public POST endpoints, each going through staffAction to one service, which
 * parses its input and checks the role itself. Each section of the page saves through its own action, so that one
 * section's bad field never blocks another's.
 */

const PAGE = "/console/settings/billing";

type Collection = { retryScheduleDays: number[]; dunning: DunningTimelineSettings };
type Step = { kind: string; dueAt: string; template?: MailTemplate };
export type CollectionPreview = {
  contractsChanged: number;
  example: { subscriptionId: string; statusBefore: SubscriptionStatus; statusAfter: SubscriptionStatus; before: Step[]; after: Step[] } | null;
};

const steps = (list: TimelineStep[]): Step[] => list.map((s) => ({ kind: s.kind, dueAt: s.dueAt.toISOString(), ...(s.template ? { template: s.template } : {}) }));

/** How many contracts the unsaved retry schedule and dunning timeline would re-plan, and one of them; nothing written. */
export async function previewCollection(input: Collection): Promise<ActionResult<CollectionPreview>> {
  return staffAction(async (ctx) => {
    const preview = await previewBillingSettings(ctx, input);
    const example = preview.example ? { ...preview.example, before: steps(preview.example.before), after: steps(preview.example.after) } : null;
    return { contractsChanged: preview.contractsChanged, example };
  });
}

export async function saveCollection(input: Collection): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await updateBillingSettings(ctx, input);
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export async function saveCardOnFileWindow(input: { cardOnFileWindowDays: number }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await updateBillingSettings(ctx, { cardOnFileWindowDays: input.cardOnFileWindowDays });
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export async function saveMypagePolicy(input: MypagePolicy): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await updateMypagePolicy(ctx, input);
      return null;
    },
    { revalidate: [PAGE] },
  );
}

export async function saveTokushohoUrl(input: { url: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await updateTokushohoUrl(ctx, { url: input.url.trim() || null });
      return null;
    },
    // The checkout links page shows the same URL.
    { revalidate: [PAGE, "/console/checkout-links"] },
  );
}

export async function saveRegistrationNumber(input: { registrationNumber: string }): Promise<ActionResult<{ registrationNumber: string | null }>> {
  return staffAction((ctx) => updateInvoiceRegistrationNumber(ctx, { registrationNumber: input.registrationNumber }), { revalidate: [PAGE] });
}

export async function saveTimeZone(input: { timeZone: string }): Promise<ActionResult<{ timeZone: string }>> {
  return staffAction((ctx) => updateTimeZone(ctx, input), { revalidate: [PAGE] });
}

/** One of the merchant's Stripe keys; the answer is its last 4 characters, never the key. */
export async function saveStripeCredential(input: { name: StripeCredentialName; value: string }): Promise<ActionResult<{ last4: string }>> {
  return staffAction(async (ctx) => ({ last4: (await setStripeCredential(ctx, input)).last4 }), { revalidate: [PAGE] });
}

export async function removeStripeCredential(input: { name: StripeCredentialName }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await clearStripeCredential(ctx, input);
      return null;
    },
    { revalidate: [PAGE] },
  );
}
