import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invoices, scheduledActions, subscriptions } from "@/db/schema";
import { localDateOf, startOfLocalDay, weekdayOf } from "@/lib/billing/calendar";
import { addCycles } from "@/lib/billing/cycle";
import { dunningSteps } from "@/lib/billing/dunning-timeline";
import { isWeekInterval } from "@/lib/billing/plan";
import { recoveredPaidThrough } from "@/lib/billing/recovery";
import { effectiveRetrySchedule, retryTimes } from "@/lib/billing/retry-schedule";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { canTransition, isOverdue, nextStatus } from "@/lib/billing/subscription-state";
import { queueContractMail } from "@/lib/mail/contract-mail";
import type { Contract, SubscriptionRow } from "./contract";
import { invoiceHasJoiningFee, type InvoiceRow } from "./invoicing";
import type { AttemptRow } from "./payment-attempts";
import { cancelPendingActions, scheduleActions } from "./scheduling";

type SubscriptionChanges = Partial<Omit<SubscriptionRow, "id" | "merchantId">>;

async function updateContract(tx: Db, contract: Contract, changes: SubscriptionChanges): Promise<void> {
  Object.assign(contract.sub, changes, { updatedAt: contract.now });
  await tx.update(subscriptions).set({ ...changes, updatedAt: contract.now }).where(eq(subscriptions.id, contract.sub.id));
}

export async function scheduleRenewal(tx: Db, contract: Contract, paidThrough: Date): Promise<void> {
  await scheduleActions(tx, [
    {
      merchantId: contract.sub.merchantId,
      kind: "renewal",
      dueAt: paidThrough,
      idempotencyKey: actionKeys.renewal(contract.sub.id, paidThrough),
      subscriptionId: contract.sub.id,
      testClockId: contract.sub.testClockId,
    },
  ]);
}

/** A paid invoice moves the contract forward: a new period, a recovered contract, or a longer paid-through. */
export async function applyInvoicePaid(tx: Db, contract: Contract, invoice: InvoiceRow): Promise<void> {
  const { sub, now } = contract;
  const changes: SubscriptionChanges = { lastPaymentAt: now };
  if (sub.joiningFeePending && (await invoiceHasJoiningFee(tx, invoice.id))) changes.joiningFeePending = false;

  // A checkout paid on a retry before its first period is over keeps that period: nothing was missed.
  const checkoutInPeriod = sub.status === "incomplete" && invoice.kind === "first" && invoice.periodEnd !== null && now < invoice.periodEnd;
  const collectsOverdue = !checkoutInPeriod && (invoice.id === sub.overdueInvoiceId || (invoice.kind === "additional" && invoice.extendPaidThrough && isOverdue(sub.status)));
  const movesContract = invoice.kind !== "additional" || invoice.extendPaidThrough;
  // The contract ended (or was resumed) while this charge was in flight: the money is recorded, the contract stays.
  const landedLate = movesContract && !canTransition(sub.status, invoice.kind === "resume" ? "resume" : "payment_succeeded");
  if (landedLate) {
    await updateContract(tx, contract, changes);
  } else if (collectsOverdue) {
    if (sub.overdueInvoiceId && invoice.id !== sub.overdueInvoiceId) {
      // The unpaid balance was collected by this additional charge instead.
      await tx.update(invoices).set({ status: "void" }).where(eq(invoices.id, sub.overdueInvoiceId));
    }
    await recoverContract(tx, contract, changes);
  } else if (invoice.kind === "first" || invoice.kind === "renewal" || invoice.kind === "resume") {
    const event = invoice.kind === "resume" ? "resume" : "payment_succeeded";
    Object.assign(changes, {
      status: nextStatus(sub.status, event),
      currentPeriodStart: invoice.periodStart,
      paidThrough: invoice.periodEnd,
      overdueInvoiceId: null,
      ...(invoice.kind === "resume" ? resumedContract(contract, invoice) : {}),
    });
    await updateContract(tx, contract, changes);
    await scheduleRenewal(tx, contract, invoice.periodEnd!);
  } else if (invoice.kind === "additional" && invoice.extendPaidThrough && sub.paidThrough) {
    const extended = startOfLocalDay(addCycles(localDateOf(sub.paidThrough, contract.timeZone), contract.terms.interval, sub.billingAnchor, 1), contract.timeZone);
    await cancelPendingActions(tx, sub.id, ["renewal", "period_end_cancel"]);
    await updateContract(tx, contract, { ...changes, paidThrough: extended });
    await scheduleActions(tx, [
      sub.cancelAtPeriodEnd
        ? { merchantId: sub.merchantId, kind: "period_end_cancel", dueAt: extended, idempotencyKey: actionKeys.periodEndCancel(sub.id, extended), subscriptionId: sub.id, testClockId: sub.testClockId }
        : { merchantId: sub.merchantId, kind: "renewal", dueAt: extended, idempotencyKey: actionKeys.renewal(sub.id, extended), subscriptionId: sub.id, testClockId: sub.testClockId },
    ]);
  } else {
    await updateContract(tx, contract, changes);
  }

  if (invoice.kind === "resume" && !landedLate) await queueContractMail(tx, contract, { template: "resumed", idempotencyKey: `resumed:${invoice.id}`, invoiceId: invoice.id });
  if (invoice.sendMail && invoice.total > 0) {
    await queueContractMail(tx, contract, {
      template: "charge_succeeded",
      idempotencyKey: `receipt:${invoice.id}`,
      invoiceId: invoice.id,
      amount: { amount: invoice.total, currency: invoice.currency },
    });
  }
}

/** A resumed contract starts afresh: its anchor follows the new first period unless the plan fixes a billing day. */
function resumedContract(contract: Contract, invoice: InvoiceRow): SubscriptionChanges {
  const start = localDateOf(invoice.periodStart!, contract.timeZone);
  const { plan } = contract;
  const billingAnchor = plan.billingDay ?? (isWeekInterval(plan.interval) ? weekdayOf(start) : start.day);
  return { billingAnchor, canceledAt: null, endedAt: null, cancelAtPeriodEnd: false, cancelReason: null, overdueInvoiceId: null, unpaidSince: null };
}

/** Paying what was overdue ends retries and dunning and starts one full cycle from the payment date. */
async function recoverContract(tx: Db, contract: Contract, changes: SubscriptionChanges): Promise<void> {
  const { sub, plan, now, timeZone } = contract;
  const paidThrough = recoveredPaidThrough(now, plan.interval, sub.billingAnchor, plan.billingDay !== null, timeZone);
  const paidThroughDate = localDateOf(paidThrough, timeZone);
  const anchor = plan.billingDay ?? (isWeekInterval(plan.interval) ? weekdayOf(paidThroughDate) : paidThroughDate.day);
  await cancelPendingActions(tx, sub.id, ["retry", "dunning_notice", "withdrawal", "renewal", "trial_end"], "paid");
  await updateContract(tx, contract, {
    ...changes,
    status: nextStatus(sub.status, "payment_succeeded"),
    currentPeriodStart: now,
    paidThrough,
    billingAnchor: anchor,
    overdueInvoiceId: null,
    unpaidSince: null,
  });
  await scheduleRenewal(tx, contract, paidThrough);
}

/** A failed charge: retries per the schedule, then the dunning timeline; side charges just fail. */
export async function applyInvoiceFailed(tx: Db, contract: Contract, invoice: InvoiceRow, attempt: AttemptRow): Promise<void> {
  const { sub, now } = contract;
  // Side charges just fail; so does a charge that was in flight when its contract ended (no dunning, no mail).
  const contractEnded = sub.status === "canceled" || sub.status === "withdrawn";
  if (invoice.kind === "additional" || invoice.kind === "resume" || contractEnded) {
    await tx.update(invoices).set({ status: "void" }).where(and(eq(invoices.id, invoice.id), eq(invoices.status, "open")));
    return;
  }
  if (sub.status === "incomplete" && !sub.overdueInvoiceId) {
    await updateContract(tx, contract, { overdueInvoiceId: invoice.id });
  } else if (sub.status === "active" || sub.status === "trialing") {
    await updateContract(tx, contract, { status: nextStatus(sub.status, "payment_failed"), overdueInvoiceId: invoice.id });
    const schedule = effectiveRetrySchedule(contract.terms.retryScheduleDays, contract.merchant.billingSettings.retryScheduleDays);
    await scheduleActions(
      tx,
      retryTimes(now, schedule, contract.timeZone).map((dueAt, i) => ({
        merchantId: sub.merchantId,
        kind: "retry" as const,
        dueAt,
        idempotencyKey: actionKeys.retry(invoice.id, i + 1),
        subscriptionId: sub.id,
        invoiceId: invoice.id,
        testClockId: sub.testClockId,
        payload: { retryNumber: i + 1 },
      })),
    );
  }
  await queueContractMail(tx, contract, {
    template: "charge_failed",
    idempotencyKey: `charge_failed:${attempt.id}`,
    invoiceId: invoice.id,
    amount: { amount: invoice.total, currency: invoice.currency },
  });
  if (sub.status === "past_due" && !(await hasPendingAutomaticRetry(tx, invoice.id))) await startDunning(tx, contract, invoice);
}

async function hasPendingAutomaticRetry(tx: Db, invoiceId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: scheduledActions.id })
    .from(scheduledActions)
    .where(
      and(
        eq(scheduledActions.invoiceId, invoiceId),
        eq(scheduledActions.kind, "retry"),
        eq(scheduledActions.status, "pending"),
        isNull(sql`${scheduledActions.payload}->>'manual'`),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** Retries are exhausted: the contract is unpaid and the merchant's dunning timeline starts. */
async function startDunning(tx: Db, contract: Contract, invoice: InvoiceRow): Promise<void> {
  const { sub, now } = contract;
  await updateContract(tx, contract, { status: nextStatus(sub.status, "retries_exhausted"), unpaidSince: now });
  const steps = dunningSteps(sub.paidThrough ?? now, now, contract.merchant.billingSettings.dunning, contract.timeZone);
  await scheduleActions(
    tx,
    steps.map((step) => ({
      merchantId: sub.merchantId,
      kind: step.kind,
      dueAt: step.dueAt,
      idempotencyKey: step.kind === "withdrawal" ? actionKeys.withdrawal(invoice.id) : actionKeys.dunningNotice(invoice.id, step.template),
      subscriptionId: sub.id,
      invoiceId: invoice.id,
      testClockId: sub.testClockId,
      payload: step.kind === "dunning_notice" ? { template: step.template } : {},
    })),
  );
}
