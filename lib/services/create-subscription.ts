import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { customers, paymentMethods, plans, subscriptions } from "@/db/schema";
import { localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import { billingAnchorFor } from "@/lib/billing/cycle";
import { firstPaidPeriod } from "@/lib/billing/first-period";
import { firstInvoiceLines } from "@/lib/billing/invoice";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { trialEndDate, trialReminderDate } from "@/lib/billing/trial";
import { newId } from "@/lib/ids";
import { queueContractMail } from "@/lib/mail/contract-mail";
import { recordAudit } from "./audit";
import { chargeNow } from "./charge-now";
import { customerNow, lockContract } from "./contract";
import type { ServiceContext } from "./context";
import { invalid, notFound, parseInput } from "./errors";
import { issueInvoice } from "./invoicing";
import { openAttempt, type PreparedCharge } from "./payment-attempts";
import { scheduleRenewal } from "./payment-outcome";
import { merchantTimeZone } from "./merchant-settings";
import { loadSubscription } from "./read-subscription";
import { scheduleActions } from "./scheduling";

export const createSubscriptionInput = z.object({
  customerId: z.string().min(1),
  planId: z.string().min(1),
  paymentMethodId: z.string().min(1).nullish(),
});

/**
 * Starts a contract: a trial (converted later with no second checkout), a free period up to the billing day,
 * or an immediate first charge of the first period plus the joining fee in one payment. A declined first
 * charge leaves the contract incomplete.
 */
export async function createSubscription(ctx: ServiceContext, input: z.input<typeof createSubscriptionInput>) {
  const data = parseInput(createSubscriptionInput, input);
  const started = await ctx.db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(and(eq(customers.id, data.customerId), eq(customers.merchantId, ctx.merchantId)));
    if (!customer) throw notFound("customer", data.customerId, "customer");
    const [plan] = await tx.select().from(plans).where(and(eq(plans.id, data.planId), eq(plans.merchantId, ctx.merchantId)));
    if (!plan || !plan.active) throw notFound("plan", data.planId, "plan");
    const paymentMethodId = data.paymentMethodId ?? customer.defaultPaymentMethodId;
    if (paymentMethodId) {
      const [pm] = await tx.select().from(paymentMethods).where(and(eq(paymentMethods.id, paymentMethodId), eq(paymentMethods.customerId, customer.id)));
      if (!pm || pm.status !== "active") throw notFound("payment method", paymentMethodId, "payment_method");
    }

    const now = await customerNow(tx, customer.testClockId, ctx.clock);
    const subscriptionId = newId("sub");
    const timeZone = await merchantTimeZone(tx, ctx.merchantId);
    const signupDate = localDateOf(now, timeZone);
    const trialEnd = trialEndDate(plan, signupDate);
    const start = trialEnd ?? signupDate;
    const anchor = billingAnchorFor(plan.interval, plan.billingDay, start);
    const period = firstPaidPeriod(plan, anchor, start);
    const chargesNow = !trialEnd && period.kind !== "free_until_billing_day";
    if (chargesNow && !paymentMethodId) throw invalid("A payment method is needed: this plan charges at sign-up", "payment_method");

    const trialEndAt = trialEnd ? startOfLocalDay(trialEnd, timeZone) : null;
    const periodEndAt = startOfLocalDay(period.periodEnd, timeZone);
    await tx.insert(subscriptions).values({
      id: subscriptionId,
      merchantId: ctx.merchantId,
      customerId: customer.id,
      planId: plan.id,
      paymentMethodId: paymentMethodId ?? null,
      testClockId: customer.testClockId,
      status: trialEnd ? "trialing" : chargesNow ? "incomplete" : "active",
      billingAnchor: anchor,
      trialStart: trialEnd ? now : null,
      trialEnd: trialEndAt,
      currentPeriodStart: chargesNow || trialEnd ? null : now,
      // While trialing or free, the contract is paid through the day its first charge falls due.
      paidThrough: trialEndAt ?? (chargesNow ? null : periodEndAt),
      joiningFeePending: plan.joiningFee > 0,
      createdAt: now,
      updatedAt: now,
    });
    const contract = await lockContract(tx, ctx.merchantId, subscriptionId, ctx.clock);
    await queueContractMail(tx, contract, { template: "welcome", idempotencyKey: `welcome:${subscriptionId}` });
    await recordAudit(tx, ctx, { action: "subscription.created", targetType: "subscription", targetId: subscriptionId, data: { plan: plan.id, customer: customer.id }, at: now });

    if (trialEnd && trialEndAt) {
      const reminder = trialReminderDate(plan, signupDate, trialEnd);
      await scheduleActions(tx, [
        { merchantId: ctx.merchantId, kind: "trial_end", dueAt: trialEndAt, idempotencyKey: actionKeys.trialEnd(subscriptionId, trialEndAt), subscriptionId, testClockId: customer.testClockId },
        ...(reminder
          ? [{ merchantId: ctx.merchantId, kind: "trial_reminder" as const, dueAt: startOfLocalDay(reminder, timeZone), idempotencyKey: actionKeys.trialReminder(subscriptionId, trialEndAt), subscriptionId, testClockId: customer.testClockId }]
          : []),
      ]);
      return { subscriptionId, prepared: null };
    }
    if (!chargesNow) {
      await scheduleRenewal(tx, contract, periodEndAt);
      return { subscriptionId, prepared: null };
    }
    const invoice = await issueInvoice(tx, contract, {
      kind: "first",
      billingKey: `first:${subscriptionId}`,
      lines: firstInvoiceLines(contract.terms, plan.name ?? contract.product.name, period, true),
      periodStart: now,
      periodEnd: periodEndAt,
    });
    const prepared: PreparedCharge = await openAttempt(tx, invoice, { paymentMethodId: paymentMethodId!, trigger: "checkout", actionId: null, at: now });
    return { subscriptionId, prepared };
  });
  const firstPayment = started.prepared ? await chargeNow(ctx, started.prepared, started.subscriptionId) : null;
  return { subscription: await loadSubscription(ctx, started.subscriptionId), firstPayment };
}
