import { eq } from "drizzle-orm";
import { z } from "zod";
import { invoices, subscriptions } from "@/db/schema";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { canTransition, isOverdue, nextStatus } from "@/lib/billing/subscription-state";
import { queueContractMail } from "@/lib/mail/contract-mail";
import { recordAudit } from "./audit";
import { lockContract } from "./contract";
import type { ServiceContext } from "./context";
import { conflict, parseInput } from "./errors";
import { loadSubscription } from "./read-subscription";
import { cancelPendingActions, scheduleActions } from "./scheduling";

export const cancelSubscriptionInput = z.object({
  subscriptionId: z.string().min(1),
  /** Default: keep the contract until its paid-through date. Overdue contracts have no paid time left and end now. */
  atPeriodEnd: z.boolean().default(true),
  reason: z.string().trim().max(1000).nullish(),
});

export async function cancelSubscription(ctx: ServiceContext, input: z.input<typeof cancelSubscriptionInput>) {
  const data = parseInput(cancelSubscriptionInput, input);
  await ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, data.subscriptionId, ctx.clock);
    const { sub, now } = contract;
    if (!canTransition(sub.status, "cancel")) throw conflict(`A ${sub.status} contract cannot be canceled`, "illegal_state");
    const atPeriodEnd = data.atPeriodEnd && (sub.status === "active" || sub.status === "trialing") && sub.paidThrough !== null;
    if (atPeriodEnd) {
      if (sub.cancelAtPeriodEnd) throw conflict("The contract is already set to end at its paid-through date", "already_canceling");
      await cancelPendingActions(tx, sub.id, ["renewal", "trial_end", "trial_reminder"], "cancel_at_period_end");
      await scheduleActions(tx, [
        { merchantId: ctx.merchantId, kind: "period_end_cancel", dueAt: sub.paidThrough!, idempotencyKey: actionKeys.periodEndCancel(sub.id, sub.paidThrough!), subscriptionId: sub.id, testClockId: sub.testClockId },
      ]);
      await tx.update(subscriptions).set({ cancelAtPeriodEnd: true, canceledAt: now, cancelReason: data.reason ?? null, updatedAt: now }).where(eq(subscriptions.id, sub.id));
    } else {
      await cancelPendingActions(tx, sub.id, undefined, "canceled");
      if (isOverdue(sub.status) && sub.overdueInvoiceId) await tx.update(invoices).set({ status: "uncollectible" }).where(eq(invoices.id, sub.overdueInvoiceId));
      await tx
        .update(subscriptions)
        .set({ status: nextStatus(sub.status, "cancel"), canceledAt: now, endedAt: now, cancelReason: data.reason ?? null, cancelAtPeriodEnd: false, updatedAt: now })
        .where(eq(subscriptions.id, sub.id));
    }
    Object.assign(contract.sub, { canceledAt: now });
    await queueContractMail(tx, contract, { template: "canceled", idempotencyKey: `canceled:${sub.id}:${now.toISOString()}` });
    await recordAudit(tx, ctx, { action: "subscription.canceled", targetType: "subscription", targetId: sub.id, data: { atPeriodEnd, reason: data.reason ?? null }, at: now });
  });
  return loadSubscription(ctx, data.subscriptionId);
}
