import { type LocalDate, startOfLocalDay } from "../calendar";
import type { ContractFacts, PlanFacts } from "../contract";
import { firstPaidPeriod } from "../first-period";
import { type InvoiceDraft, type InvoiceKind, periodInvoiceLines, type UsageTotal, withCredit } from "../invoice";

export type PeriodRequest = {
  invoiceKind: Extract<InvoiceKind, "first" | "renewal" | "resume">;
  plan: PlanFacts;
  /** The billing day the period is aligned to. */
  anchor: number;
  /** The local date the period starts on, and the instant its invoice says it starts. */
  start: LocalDate;
  startAt: Date;
  includeJoiningFee: boolean;
  usage: readonly UsageTotal[];
  billingKey: string;
};

/** A period to charge, or a free one (up to the billing day, by the plan's first-period rule): no invoice at all. */
export type PeriodDraft = { charge: InvoiceDraft } | { free: { periodStart: Date; periodEnd: Date } };

/**
 * The invoice of the paid period that starts on `start`: a full cycle when `start` is a billing date, otherwise the
 * part up to the next billing date by the plan's first-period rule (日割, in full, or free), with the usage recorded
 * before it, a joining fee still owed and the customer's credit taken off. Every period of a contract — its first,
 * each renewal, a restart after a pause or a cancellation — is billed here.
 */
export function periodDraft(facts: ContractFacts, request: PeriodRequest): PeriodDraft {
  const { timeZone } = facts;
  const period = firstPaidPeriod(request.plan, request.anchor, request.start);
  const periodEnd = startOfLocalDay(period.periodEnd, timeZone);
  if (period.kind === "free_until_billing_day") return { free: { periodStart: request.startAt, periodEnd } };
  const lines = periodInvoiceLines(request.plan, request.plan.name, period, { usage: request.usage, includeJoiningFee: request.includeJoiningFee });
  const credited = withCredit(lines, facts.state.creditBalance);
  return {
    charge: {
      kind: request.invoiceKind,
      billingKey: request.billingKey,
      planId: request.plan.id,
      lines: credited.lines,
      periodStart: request.startAt,
      periodEnd,
      creditApplied: credited.creditApplied,
    },
  };
}
