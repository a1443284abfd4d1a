import { type LocalDate, localDateOf, startOfLocalDay } from "./calendar";
import type { ContractFacts, PlanFacts } from "./contract";
import { addCycles } from "./cycle";
import { decideSignUp } from "./decisions/sign-up";
import { periodDraft } from "./decisions/period-charge";
import type { InvoiceDraft, InvoiceLineKind } from "./invoice";
import type { BillingSettings } from "./billing-settings";
import { invoiceTotals, type InvoiceTotals } from "./tax";
import type { BillingInterval, TaxBehavior } from "./plan";

/** One charge a customer will pay: when (a local date of the merchant) and what, with the tax as the plan states it. */
export type QuotedCharge = InvoiceTotals & {
  date: string;
  /** Charged at sign-up, not later. */
  atSignUp: boolean;
  lines: { kind: InvoiceLineKind; description: string; amount: number; periodStart: string | null; periodEnd: string | null }[];
};

/**
 * What a sign-up to a plan costs, now and later, as the sign-up decision would decide it: the final confirmation a
 * checkout page shows (特定商取引法: the first charge with its date, and the amount and timing of every later one).
 */
export type SignUpQuote = {
  currency: string;
  taxBehavior: TaxBehavior;
  taxRate: number;
  interval: BillingInterval;
  /** Day of month 1–31 (31 = month-end) or weekday 0–6 that every later charge falls on. */
  billingAnchor: number;
  /** The trial's last day is the day before the first charge; null without a trial. */
  trialEndsOn: string | null;
  /** The first charge: at sign-up, or at the trial's end or the first billing day. */
  first: QuotedCharge;
  /** The first of the later charges; each one after it falls one cycle later, on the billing anchor. */
  recurring: QuotedCharge;
  /** The two dates after `recurring`, to show the pattern. */
  thenOn: string[];
};

type QuoteFacts = { plan: PlanFacts; settings: BillingSettings; timeZone: string; now: Date };

const QUOTE_ID = "quote";

/** The quote of signing up to `plan` at `now` (pure: the caller passes the time). */
export function quoteSignUp(facts: QuoteFacts): SignUpQuote {
  const signUp = decideSignUp({ id: QUOTE_ID, ...facts }, { paymentMethodId: "card" });
  if ("refused" in signUp) throw new Error(`A sign-up to plan ${facts.plan.id} cannot be quoted: ${signUp.refused.message}`);
  const { state } = signUp;
  const contract: ContractFacts = { id: QUOTE_ID, ...facts, state };
  const { plan, timeZone } = facts;
  const anchor = state.billingAnchor;

  let first: QuotedCharge;
  let firstPeriodEnd: LocalDate;
  if (signUp.charge) {
    first = quoted(signUp.charge, localDateOf(facts.now, timeZone), true, plan.taxBehavior, plan.taxRate);
    firstPeriodEnd = localDateOf(signUp.charge.periodEnd!, timeZone);
  } else {
    // A trial or a free first period: the first charge falls on the paid-through date (and a free stretch after a
    // trial moves it on to the billing day).
    let start = localDateOf(state.paidThrough!, timeZone);
    for (;;) {
      const draft = periodDraft(contract, { invoiceKind: "first", plan, anchor, start, startAt: startOfLocalDay(start, timeZone), includeJoiningFee: plan.joiningFee > 0, usage: [], billingKey: QUOTE_ID });
      if ("charge" in draft) {
        first = quoted(draft.charge, start, false, plan.taxBehavior, plan.taxRate);
        firstPeriodEnd = localDateOf(draft.charge.periodEnd!, timeZone);
        break;
      }
      start = localDateOf(draft.free.periodEnd, timeZone);
    }
  }
  const renewal = periodDraft(contract, { invoiceKind: "renewal", plan, anchor, start: firstPeriodEnd, startAt: startOfLocalDay(firstPeriodEnd, timeZone), includeJoiningFee: false, usage: [], billingKey: QUOTE_ID });
  if (!("charge" in renewal)) throw new Error("A full cycle is never free");
  return {
    currency: plan.currency,
    taxBehavior: plan.taxBehavior,
    taxRate: plan.taxRate,
    interval: plan.interval,
    billingAnchor: anchor,
    trialEndsOn: state.trialEnd ? localDateOf(state.trialEnd, timeZone).subtract({ days: 1 }).toString() : null,
    first,
    recurring: quoted(renewal.charge, firstPeriodEnd, false, plan.taxBehavior, plan.taxRate),
    thenOn: [1, 2].map((n) => addCycles(firstPeriodEnd, plan.interval, anchor, n).toString()),
  };
}

function quoted(draft: InvoiceDraft, date: LocalDate, atSignUp: boolean, taxBehavior: TaxBehavior, taxRate: number): QuotedCharge {
  return {
    date: date.toString(),
    atSignUp,
    lines: draft.lines.map((l) => ({ kind: l.kind, description: l.description, amount: l.amount, periodStart: l.periodStart?.toString() ?? null, periodEnd: l.periodEnd?.toString() ?? null })),
    ...invoiceTotals(draft.lines.map((l) => ({ amount: l.amount, taxRate })), taxBehavior),
  };
}
