import type { Db } from "@/db/client";
import { localDateOf, startOfLocalDay, weekdayOf } from "@/lib/billing/calendar";
import { addCycles } from "@/lib/billing/cycle";
import { dunningSteps } from "@/lib/billing/dunning-timeline";
import { isWeekInterval } from "@/lib/billing/plan";
import { recoveredPaidThrough } from "@/lib/billing/recovery";
import { effectiveRetrySchedule, retryTimes } from "@/lib/billing/retry-schedule";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { canTransition, isOverdue, nextStatus } from "@/lib/billing/subscription-state";
import type { Contract } from "./contract";
import type { ContractWrites, SubscriptionChanges } from "./contract-writes";
import type { InvoiceRow } from "./invoicing";
import type { AttemptRow } from "./payment-attempts";
import { type ActionToSchedule, scheduleActions } from "./scheduling";

/** The renewal that falls due at a contract's paid-through date. */
export function renewalAction(contract: Contract, paidThrough: Date): ActionToSchedule {
  return {
    merchantId: contract.sub.merchantId,
    kind: "renewal",
    dueAt: paidThrough,
    idempotencyKey: actionKeys.renewal(contract.sub.id, paidThrough),
    subscriptionId: contract.sub.id,
    testClockId: contract.sub.testClockId,
  };
}

export async function scheduleRenewal(tx: Db, contract: Contract, paidThrough: Date): Promise<void> {
  await scheduleActions(tx, [renewalAction(contract, paidThrough)]);
}

/** What the rules for a paid invoice need from the database, read for a whole batch beforehand. */
export type PaidFacts = { invoiceHasJoiningFee: boolean };
/** What the rules for a failed charge need: whether an automatic retry of this invoice is still planned. */
export type FailedFacts = { automaticRetryPending: boolean };

/** A paid invoice moves the contract forward: a new period, a recovered contract, or a longer paid-through. */
export function applyInvoicePaid(writes: ContractWrites, contract: Contract, invoice: InvoiceRow, facts: PaidFacts): void {
  const { sub, now } = contract;
  const changes: SubscriptionChanges = { lastPaymentAt: now };
  if (sub.joiningFeePending && facts.invoiceHasJoiningFee) changes.joiningFeePending = false;

  // A checkout paid on a retry before its first period is over keeps that period: nothing was missed.
  const checkoutInPeriod = sub.status === "incomplete" && invoice.kind === "first" && invoice.periodEnd !== null && now < invoice.periodEnd;
  const collectsOverdue = !checkoutInPeriod && (invoice.id === sub.overdueInvoiceId || (invoice.kind === "additional" && invoice.extendPaidThrough && isOverdue(sub.status)));
  const movesContract = invoice.kind !== "additional" || invoice.extendPaidThrough;
  // The contract ended (or was resumed) while this charge was in flight: the money is recorded, the contract stays.
  const landedLate = movesContract && !canTransition(sub.status, invoice.kind === "resume" ? "resume" : "payment_succeeded");
  if (landedLate) {
    writes.updateContract(contract, changes);
  } else if (collectsOverdue) {
    if (sub.overdueInvoiceId && invoice.id !== sub.overdueInvoiceId) {
      // The unpaid balance was collected by this additional charge instead.
      writes.setInvoiceStatus(sub.overdueInvoiceId, "void");
    }
    recoverContract(writes, contract, changes);
  } else if (invoice.kind === "first" || invoice.kind === "renewal" || invoice.kind === "resume") {
    const event = invoice.kind === "resume" ? "resume" : "payment_succeeded";
    writes.updateContract(contract, {
      ...changes,
      status: nextStatus(sub.status, event),
      currentPeriodStart: invoice.periodStart,
      paidThrough: invoice.periodEnd,
      overdueInvoiceId: null,
      ...(invoice.kind === "resume" ? resumedContract(contract, invoice) : {}),
    });
    writes.schedule(renewalAction(contract, invoice.periodEnd!));
  } else if (invoice.kind === "additional" && invoice.extendPaidThrough && sub.paidThrough) {
    const extended = startOfLocalDay(addCycles(localDateOf(sub.paidThrough, contract.timeZone), contract.terms.interval, sub.billingAnchor, 1), contract.timeZone);
    writes.cancelActions(sub.id, ["renewal", "period_end_cancel"], "superseded");
    writes.updateContract(contract, { ...changes, paidThrough: extended });
    writes.schedule(
      sub.cancelAtPeriodEnd
        ? { merchantId: sub.merchantId, kind: "period_end_cancel", dueAt: extended, idempotencyKey: actionKeys.periodEndCancel(sub.id, extended), subscriptionId: sub.id, testClockId: sub.testClockId }
        : renewalAction(contract, extended),
    );
  } else {
    writes.updateContract(contract, changes);
  }

  if (invoice.kind === "resume" && !landedLate) writes.mail(contract, { template: "resumed", idempotencyKey: `resumed:${invoice.id}`, invoiceId: invoice.id });
  if (invoice.sendMail && invoice.total > 0) {
    writes.mail(contract, {
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
function recoverContract(writes: ContractWrites, contract: Contract, changes: SubscriptionChanges): void {
  const { sub, plan, now, timeZone } = contract;
  const paidThrough = recoveredPaidThrough(now, plan.interval, sub.billingAnchor, plan.billingDay !== null, timeZone);
  const paidThroughDate = localDateOf(paidThrough, timeZone);
  const anchor = plan.billingDay ?? (isWeekInterval(plan.interval) ? weekdayOf(paidThroughDate) : paidThroughDate.day);
  writes.cancelActions(sub.id, ["retry", "dunning_notice", "withdrawal", "renewal", "trial_end"], "paid");
  writes.updateContract(contract, {
    ...changes,
    status: nextStatus(sub.status, "payment_succeeded"),
    currentPeriodStart: now,
    paidThrough,
    billingAnchor: anchor,
    overdueInvoiceId: null,
    unpaidSince: null,
  });
  writes.schedule(renewalAction(contract, paidThrough));
}

/** A failed charge: retries per the schedule, then the dunning timeline; side charges just fail. */
export function applyInvoiceFailed(writes: ContractWrites, contract: Contract, invoice: InvoiceRow, attempt: AttemptRow, facts: FailedFacts): void {
  const { sub, now } = contract;
  // Side charges just fail; so does a charge that was in flight when its contract ended (no dunning, no mail).
  const contractEnded = sub.status === "canceled" || sub.status === "withdrawn";
  if (invoice.kind === "additional" || invoice.kind === "resume" || contractEnded) {
    writes.setInvoiceStatus(invoice.id, "void", { onlyIfOpen: true });
    return;
  }
  let retriesPlanned = 0;
  if (sub.status === "incomplete" && !sub.overdueInvoiceId) {
    writes.updateContract(contract, { overdueInvoiceId: invoice.id });
  } else if (sub.status === "active" || sub.status === "trialing") {
    writes.updateContract(contract, { status: nextStatus(sub.status, "payment_failed"), overdueInvoiceId: invoice.id });
    const schedule = effectiveRetrySchedule(contract.terms.retryScheduleDays, contract.merchant.billingSettings.retryScheduleDays);
    const retries = retryTimes(now, schedule, contract.timeZone).map((dueAt, i) => ({
      merchantId: sub.merchantId,
      kind: "retry" as const,
      dueAt,
      idempotencyKey: actionKeys.retry(invoice.id, i + 1),
      subscriptionId: sub.id,
      invoiceId: invoice.id,
      testClockId: sub.testClockId,
      payload: { retryNumber: i + 1 },
    }));
    writes.schedule(...retries);
    retriesPlanned = retries.length;
  }
  writes.mail(contract, {
    template: "charge_failed",
    idempotencyKey: `charge_failed:${attempt.id}`,
    invoiceId: invoice.id,
    amount: { amount: invoice.total, currency: invoice.currency },
  });
  if (sub.status === "past_due" && retriesPlanned === 0 && !facts.automaticRetryPending) startDunning(writes, contract, invoice);
}

/** Retries are exhausted: the contract is unpaid and the merchant's dunning timeline starts. */
function startDunning(writes: ContractWrites, contract: Contract, invoice: InvoiceRow): void {
  const { sub, now } = contract;
  writes.updateContract(contract, { status: nextStatus(sub.status, "retries_exhausted"), unpaidSince: now });
  const steps = dunningSteps(sub.paidThrough ?? now, now, contract.merchant.billingSettings.dunning, contract.timeZone);
  writes.schedule(
    ...steps.map((step) => ({
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
