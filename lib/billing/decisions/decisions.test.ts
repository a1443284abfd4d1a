import { describe, expect, it } from "vitest";
import { DEFAULT_BILLING_SETTINGS } from "../billing-settings";
import type { ContractFacts, ContractState, PlanFacts } from "../contract";
import { type Effects, isRefusal, type Refusal } from "../effects";
import type { InvoiceDraft } from "../invoice";
import { COURSE_KINDS } from "../scheduled-action";
import { decideCancel } from "./cancel";
import { decideChangePlan } from "./change-plan";
import { decideChargeFailed, type FailedCharge } from "./charge-failed";
import { type DueAction, type DueActionDecision, decideDueAction } from "./due-action";
import { decideInvoicePaid, type PaidInvoice } from "./invoice-paid";
import { decidePause, decideUnpause } from "./pause";
import { type OverdueCourse, replanOverdue } from "./replan";
import { decideResume } from "./resume";
import { decideSignUp } from "./sign-up";
import { ACTIVE_STATE, MONTHLY_PLAN } from "@/test/fixtures/contract-facts";

/**
 * Every decision of the billing rules, case by case, as a table: the contract as it is, what happens, and what the
 * rules decide (the status it moves to, what it plans and calls off, invoices written off, mails). Tokyo time; a
 * 3,000 JPY monthly plan on the sign-up day (the 1st) unless a case says otherwise.
 */

const jst = (local: string) => new Date(`${local}+09:00`);
const NOW = jst("2027-06-15T10:00:00");

const MONTHLY = MONTHLY_PLAN;
const plan = (overrides: Partial<PlanFacts>): PlanFacts => ({ ...MONTHLY, ...overrides });

const ACTIVE = ACTIVE_STATE;

function facts(state: Partial<ContractState> = {}, more: { plan?: PlanFacts; now?: Date } = {}): ContractFacts {
  return { id: "sub_1", state: { ...ACTIVE, ...state }, plan: more.plan ?? MONTHLY, settings: DEFAULT_BILLING_SETTINGS, timeZone: "Asia/Tokyo", now: more.now ?? NOW };
}

const TRIAL: Partial<ContractState> = { status: "trialing", trialStart: jst("2027-06-10T10:00:00"), trialEnd: jst("2027-06-24T00:00:00"), paidThrough: jst("2027-06-24T00:00:00"), currentPeriodStart: null, lastPaymentAt: null };
const PAST_DUE: Partial<ContractState> = { status: "past_due", overdueInvoiceId: "in_overdue", paidThrough: jst("2027-06-01T00:00:00"), currentPeriodStart: jst("2027-05-01T00:00:00") };
const UNPAID: Partial<ContractState> = { ...PAST_DUE, status: "unpaid", unpaidSince: jst("2027-06-15T00:00:00") };
const ENDED: Partial<ContractState> = { status: "canceled", canceledAt: jst("2027-06-10T09:00:00"), endedAt: jst("2027-06-10T09:00:00") };

const day = (at: Date) => new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo", dateStyle: "short", timeStyle: "short" }).format(at);

/** A decision told in a few words, so that a table row can say what is expected. */
function told(decision: Effects | Refusal | { charge: InvoiceDraft } | DueActionDecision | null): Record<string, unknown> {
  if (decision === null) return { nothing: true };
  if (isRefusal(decision)) return { refused: decision.refused.reason };
  if ("skip" in decision) return { skip: decision.skip, as: decision.status };
  if ("collect" in decision) return { collect: decision.collect };
  if ("sendFallback" in decision) return { sendFallback: decision.sendFallback, ...told(decision.effects) };
  if ("charge" in decision) {
    const { charge } = decision;
    return { charge: charge.kind, lines: charge.lines.map((l) => `${l.kind} ${l.amount}`), periodEnd: charge.periodEnd ? day(charge.periodEnd) : null };
  }
  const effects = "apply" in decision ? decision.apply : decision;
  const out: Record<string, unknown> = {};
  const { status, ...changes } = effects.changes;
  if (status) out.status = status;
  for (const key of ["paidThrough", "billingAnchor", "planId", "pendingPlanId", "creditBalance", "overdueInvoiceId", "cancelAtPeriodEnd", "trialEnd"] as const) {
    if (key in changes) out[key] = changes[key] instanceof Date ? day(changes[key]) : changes[key];
  }
  if (effects.plan.length) out.plan = effects.plan.map((a) => `${a.kind}${a.payload?.template ? `:${a.payload.template}` : ""} ${day(a.dueAt)}`);
  if (effects.callOff.length) out.callOff = effects.callOff.map((c) => `${c.kinds === COURSE_KINDS ? "the course" : c.kinds.join("+")}${c.invoiceId ? ` of ${c.invoiceId}` : ""} (${c.reason})`);
  if (effects.invoices.length) out.invoices = effects.invoices.map((i) => `${i.invoiceId} ${i.status}`);
  if (effects.mails.length) out.mails = effects.mails.map((m) => m.template);
  if ("apply" in decision) out.outcome = decision.outcome;
  return out;
}

const paid = (invoice: Partial<PaidInvoice>): PaidInvoice => ({
  id: "in_1",
  kind: "renewal",
  total: 3000,
  currency: "jpy",
  periodStart: jst("2027-07-01T00:00:00"),
  periodEnd: jst("2027-08-01T00:00:00"),
  extendPaidThrough: false,
  sendMail: true,
  hasJoiningFee: false,
  plan: null,
  creditCarried: 0,
  ...invoice,
});

const failed = (kind: FailedCharge["invoice"]["kind"], failureCode: string, automaticRetryPending = false, invoiceId = "in_1", attemptNumber = 1): FailedCharge => ({
  invoice: { id: invoiceId, kind, total: 3000, currency: "jpy" },
  attempt: { id: "pa_1", number: attemptNumber, failureCode },
  automaticRetryPending,
});

type Row = [name: string, decide: () => Parameters<typeof told>[0], expected: Record<string, unknown>];

const CASES: Record<string, Row[]> = {
  "a paid invoice": [
    ["a renewal: the next period, the renewal after it", () => decideInvoicePaid(facts(), paid({})), { status: "active", paidThrough: "2027-08-01 00:00", overdueInvoiceId: null, plan: ["renewal 2027-08-01 00:00"], mails: ["charge_succeeded"] }],
    [
      "a trial's first charge: active",
      () => decideInvoicePaid(facts(TRIAL), paid({ kind: "first", periodStart: jst("2027-06-24T00:00:00"), periodEnd: jst("2027-07-24T00:00:00") })),
      { status: "active", paidThrough: "2027-07-24 00:00", overdueInvoiceId: null, plan: ["renewal 2027-07-24 00:00"], mails: ["charge_succeeded"] },
    ],
    [
      "a declined checkout paid within its first period keeps that period",
      () => decideInvoicePaid(facts({ status: "incomplete", overdueInvoiceId: "in_1", paidThrough: null }), paid({ kind: "first", periodStart: jst("2027-06-14T10:00:00"), periodEnd: jst("2027-07-14T00:00:00") })),
      { status: "active", paidThrough: "2027-07-14 00:00", overdueInvoiceId: null, plan: ["renewal 2027-07-14 00:00"], mails: ["charge_succeeded"] },
    ],
    [
      "what was overdue: recovered, one full cycle from today",
      () => decideInvoicePaid(facts(PAST_DUE), paid({ id: "in_overdue", periodStart: jst("2027-06-01T00:00:00"), periodEnd: jst("2027-07-01T00:00:00") })),
      {
        status: "active",
        paidThrough: "2027-07-15 00:00",
        billingAnchor: 15,
        overdueInvoiceId: null,
        plan: ["renewal 2027-07-15 00:00"],
        callOff: ["retry+dunning_notice+atobarai_fallback+withdrawal+renewal+trial_end+trial_reminder (paid)"],
        mails: ["charge_succeeded"],
      },
    ],
    [
      "an extension collecting an unpaid balance: the overdue invoice is void",
      () => decideInvoicePaid(facts(UNPAID), paid({ id: "in_extra", kind: "additional", extendPaidThrough: true, periodStart: null, periodEnd: null })),
      {
        status: "active",
        paidThrough: "2027-07-15 00:00",
        billingAnchor: 15,
        overdueInvoiceId: null,
        plan: ["renewal 2027-07-15 00:00"],
        callOff: ["retry+dunning_notice+atobarai_fallback+withdrawal+renewal+trial_end+trial_reminder (paid)"],
        invoices: ["in_overdue void"],
        mails: ["charge_succeeded"],
      },
    ],
    [
      "a restart after a cancellation: active, its cycle from today",
      () => decideInvoicePaid(facts({ ...ENDED, paidThrough: jst("2027-06-01T00:00:00") }), paid({ kind: "resume", periodStart: NOW, periodEnd: jst("2027-07-15T00:00:00") })),
      { status: "active", paidThrough: "2027-07-15 00:00", billingAnchor: 15, overdueInvoiceId: null, cancelAtPeriodEnd: false, plan: ["renewal 2027-07-15 00:00"], mails: ["resumed", "charge_succeeded"] },
    ],
    [
      "a plan change within the cycle: the plan switches, the carried credit is kept",
      () => decideInvoicePaid(facts(), paid({ kind: "plan_change", total: 0, periodStart: NOW, periodEnd: jst("2027-07-01T00:00:00"), plan: plan({ id: "plan_lite", amount: 1000 }), creditCarried: 1066 })),
      { planId: "plan_lite", pendingPlanId: null, creditBalance: 1066, mails: ["plan_changed"] },
    ],
    [
      "a plan change to another interval: the new cycle from today",
      () => decideInvoicePaid(facts(), paid({ kind: "plan_change", total: 30000, periodStart: NOW, periodEnd: jst("2028-06-15T00:00:00"), plan: plan({ id: "plan_year", interval: "year", amount: 30000 }) })),
      { planId: "plan_year", pendingPlanId: null, creditBalance: 0, paidThrough: "2028-06-15 00:00", billingAnchor: 15, callOff: ["renewal+period_end_cancel (plan_changed)"], plan: ["renewal 2028-06-15 00:00"], mails: ["plan_changed", "charge_succeeded"] },
    ],
    [
      "a plan change to another interval while set to cancel: it still ends, at the new period's end",
      () => decideInvoicePaid(facts({ cancelAtPeriodEnd: true }), paid({ kind: "plan_change", total: 30000, periodStart: NOW, periodEnd: jst("2028-06-15T00:00:00"), plan: plan({ id: "plan_year", interval: "year", amount: 30000 }) })),
      { planId: "plan_year", pendingPlanId: null, creditBalance: 0, paidThrough: "2028-06-15 00:00", billingAnchor: 15, callOff: ["renewal+period_end_cancel (plan_changed)"], plan: ["period_end_cancel 2028-06-15 00:00"], mails: ["plan_changed", "charge_succeeded"] },
    ],
    [
      "a renewal on a pending plan: the plan switches with it",
      () => decideInvoicePaid(facts({ pendingPlanId: "plan_lite" }), paid({ plan: plan({ id: "plan_lite", amount: 1000 }) })),
      { status: "active", paidThrough: "2027-08-01 00:00", planId: "plan_lite", pendingPlanId: null, overdueInvoiceId: null, plan: ["renewal 2027-08-01 00:00"], mails: ["charge_succeeded"] },
    ],
    ["a charge that landed after the contract ended: the money is recorded, nothing else", () => decideInvoicePaid(facts(ENDED), paid({})), { mails: ["charge_succeeded"] }],
    ["a contract's final usage: its retries end", () => decideInvoicePaid(facts(ENDED), paid({ kind: "final", periodStart: null, periodEnd: null })), { callOff: ["final_invoice of in_1 (paid)"], mails: ["charge_succeeded"] }],
    ["a plain additional charge: only the payment", () => decideInvoicePaid(facts(), paid({ kind: "additional", sendMail: false, periodStart: null, periodEnd: null })), {}],
    [
      "an additional charge that extends: one cycle more",
      () => decideInvoicePaid(facts(), paid({ kind: "additional", extendPaidThrough: true, periodStart: null, periodEnd: null })),
      { paidThrough: "2027-08-01 00:00", callOff: ["renewal+period_end_cancel (superseded)"], plan: ["renewal 2027-08-01 00:00"], mails: ["charge_succeeded"] },
    ],
  ],
  "a declined charge": [
    [
      "a renewal, soft: past due, retried 7 and 14 days on",
      () => decideChargeFailed(facts(), failed("renewal", "insufficient_funds")),
      { status: "past_due", overdueInvoiceId: "in_1", plan: ["retry 2027-06-22 10:00", "retry 2027-06-29 10:00"], mails: ["charge_failed"] },
    ],
    [
      "a renewal, hard (expired card): unpaid at once, no retries, the dunning timeline",
      () => decideChargeFailed(facts({ paidThrough: jst("2027-06-15T00:00:00") }), failed("renewal", "expired_card")),
      {
        status: "unpaid",
        overdueInvoiceId: "in_1",
        callOff: ["retry (hard_decline)"],
        plan: ["dunning_notice:unpaid_notice 2027-06-16 00:00", "dunning_notice:final_notice 2027-08-14 00:00", "dunning_notice:withdrawal_notice 2027-08-21 00:00", "withdrawal 2027-08-21 01:00"],
        mails: ["charge_failed"],
      },
    ],
    ["a retry while more are planned: told, nothing else", () => decideChargeFailed(facts(PAST_DUE), failed("renewal", "card_declined", true, "in_overdue")), { mails: ["charge_failed"] }],
    [
      "the last retry: unpaid, the dunning timeline (a notice already due goes now)",
      () => decideChargeFailed(facts(PAST_DUE), failed("renewal", "card_declined", false, "in_overdue")),
      {
        status: "unpaid",
        overdueInvoiceId: "in_overdue",
        plan: ["dunning_notice:unpaid_notice 2027-06-15 10:00", "dunning_notice:final_notice 2027-07-31 00:00", "dunning_notice:withdrawal_notice 2027-08-07 00:00", "withdrawal 2027-08-07 01:00"],
        mails: ["charge_failed"],
      },
    ],
    [
      "a retry, hard (lost card): the other retries are called off, unpaid",
      () => decideChargeFailed(facts(PAST_DUE), failed("renewal", "lost_card", true, "in_overdue")),
      {
        status: "unpaid",
        overdueInvoiceId: "in_overdue",
        callOff: ["retry (hard_decline)"],
        plan: ["dunning_notice:unpaid_notice 2027-06-15 10:00", "dunning_notice:final_notice 2027-07-31 00:00", "dunning_notice:withdrawal_notice 2027-08-07 00:00", "withdrawal 2027-08-07 01:00"],
        mails: ["charge_failed"],
      },
    ],
    [
      "a renewal that needs authentication: past due, no retries, the authentication mail, dunning from when retries would have run out",
      () => decideChargeFailed(facts({ paidThrough: jst("2027-06-15T00:00:00") }), failed("renewal", "authentication_required")),
      {
        status: "past_due",
        overdueInvoiceId: "in_1",
        plan: ["dunning_notice:unpaid_notice 2027-06-29 10:00", "dunning_notice:final_notice 2027-08-14 00:00", "dunning_notice:withdrawal_notice 2027-08-21 00:00", "withdrawal 2027-08-21 01:00"],
        mails: ["payment_authentication"],
      },
    ],
    [
      "a retry that needs authentication: the other retries are called off, still past due",
      () => decideChargeFailed(facts(PAST_DUE), failed("renewal", "authentication_required", true, "in_overdue", 2)),
      {
        status: "past_due",
        overdueInvoiceId: "in_overdue",
        callOff: ["retry (authentication_required)"],
        plan: ["dunning_notice:unpaid_notice 2027-06-29 10:00", "dunning_notice:final_notice 2027-07-31 00:00", "dunning_notice:withdrawal_notice 2027-08-07 00:00", "withdrawal 2027-08-07 01:00"],
        mails: ["payment_authentication"],
      },
    ],
    [
      "the last retry needs authentication: dunning from now (a notice already due goes now)",
      () => decideChargeFailed(facts(PAST_DUE), failed("renewal", "authentication_required", false, "in_overdue", 3)),
      {
        status: "past_due",
        overdueInvoiceId: "in_overdue",
        callOff: ["retry (authentication_required)"],
        plan: ["dunning_notice:unpaid_notice 2027-06-15 10:00", "dunning_notice:final_notice 2027-07-31 00:00", "dunning_notice:withdrawal_notice 2027-08-07 00:00", "withdrawal 2027-08-07 01:00"],
        mails: ["payment_authentication"],
      },
    ],
    ["unpaid, a manual retry needs authentication: the authentication mail, nothing else", () => decideChargeFailed(facts(UNPAID), failed("renewal", "authentication_required", false, "in_overdue", 4)), { mails: ["payment_authentication"] }],
    ["a checkout that needs authentication: the contract waits, incomplete", () => decideChargeFailed(facts({ status: "incomplete", paidThrough: null }), failed("first", "authentication_required")), { overdueInvoiceId: "in_1", mails: ["payment_authentication"] }],
    ["a checkout: the contract waits, incomplete", () => decideChargeFailed(facts({ status: "incomplete", paidThrough: null }), failed("first", "card_declined")), { overdueInvoiceId: "in_1", mails: ["charge_failed"] }],
    ["an additional charge: void, nothing else", () => decideChargeFailed(facts(), failed("additional", "card_declined")), { invoices: ["in_1 void"] }],
    ["a restart: void, the contract stays ended", () => decideChargeFailed(facts(ENDED), failed("resume", "card_declined")), { invoices: ["in_1 void"] }],
    ["a plan change: void, the plan stays", () => decideChargeFailed(facts(), failed("plan_change", "insufficient_funds")), { invoices: ["in_1 void"] }],
    ["a renewal in flight when the contract ended: void, no dunning", () => decideChargeFailed(facts(ENDED), failed("renewal", "card_declined")), { invoices: ["in_1 void"] }],
    [
      "a contract's final usage, first time: retried on the schedule, on a course of its own",
      () => decideChargeFailed(facts(ENDED), failed("final", "card_declined")),
      { plan: ["final_invoice 2027-06-22 10:00", "final_invoice 2027-06-29 10:00"], mails: ["charge_failed"] },
    ],
    ["a contract's final usage, a retry with more to come: told", () => decideChargeFailed(facts(ENDED), failed("final", "card_declined", true, "in_1", 2)), { mails: ["charge_failed"] }],
    [
      "a contract's final usage, the last retry: written off",
      () => decideChargeFailed(facts(ENDED), failed("final", "card_declined", false, "in_1", 3)),
      { callOff: ["final_invoice of in_1 (superseded)"], invoices: ["in_1 uncollectible"], mails: ["charge_failed"] },
    ],
    [
      "a contract's final usage, hard: written off at once",
      () => decideChargeFailed(facts(ENDED), failed("final", "stolen_card")),
      { callOff: ["final_invoice of in_1 (superseded)"], invoices: ["in_1 uncollectible"], mails: ["charge_failed"] },
    ],
    [
      "a contract's final usage that needs authentication: written off (the contract has ended), the decline told",
      () => decideChargeFailed(facts(ENDED), failed("final", "authentication_required")),
      { callOff: ["final_invoice of in_1 (superseded)"], invoices: ["in_1 uncollectible"], mails: ["charge_failed"] },
    ],
  ],
  cancel: [
    [
      "at period end: stays active, ends at the paid-through date",
      () => decideCancel(facts(), { atPeriodEnd: true, reason: "引っ越し", hasUnbilledUsage: false }),
      { cancelAtPeriodEnd: true, pendingPlanId: null, callOff: ["renewal+trial_end+trial_reminder (cancel_at_period_end)"], plan: ["period_end_cancel 2027-07-01 00:00"], mails: ["canceled"] },
    ],
    [
      "a trial at period end: ends at the trial's end",
      () => decideCancel(facts(TRIAL), { atPeriodEnd: true, reason: null, hasUnbilledUsage: false }),
      { cancelAtPeriodEnd: true, pendingPlanId: null, callOff: ["renewal+trial_end+trial_reminder (cancel_at_period_end)"], plan: ["period_end_cancel 2027-06-24 00:00"], mails: ["canceled"] },
    ],
    ["now: ends at once, everything called off", () => decideCancel(facts(), { atPeriodEnd: false, reason: null, hasUnbilledUsage: false }), { status: "canceled", cancelAtPeriodEnd: false, pendingPlanId: null, callOff: ["the course (canceled)"], mails: ["canceled"] }],
    [
      "now, with usage not billed yet: its final invoice at once",
      () => decideCancel(facts(), { atPeriodEnd: false, reason: null, hasUnbilledUsage: true }),
      { status: "canceled", cancelAtPeriodEnd: false, pendingPlanId: null, callOff: ["the course (canceled)"], plan: ["final_invoice 2027-06-15 10:00"], mails: ["canceled"] },
    ],
    [
      "past due, at period end asked: ends now, the debt written off",
      () => decideCancel(facts(PAST_DUE), { atPeriodEnd: true, reason: null, hasUnbilledUsage: false }),
      { status: "canceled", cancelAtPeriodEnd: false, pendingPlanId: null, callOff: ["the course (canceled)"], invoices: ["in_overdue uncollectible"], mails: ["canceled"] },
    ],
    ["paused: ends now", () => decideCancel(facts({ status: "paused", pausedAt: NOW }), { atPeriodEnd: true, reason: null, hasUnbilledUsage: false }), { status: "canceled", cancelAtPeriodEnd: false, pendingPlanId: null, callOff: ["the course (canceled)"], mails: ["canceled"] }],
    ["twice at period end: refused", () => decideCancel(facts({ cancelAtPeriodEnd: true }), { atPeriodEnd: true, reason: null, hasUnbilledUsage: false }), { refused: "already_canceling" }],
    ["an ended contract: refused", () => decideCancel(facts(ENDED), { atPeriodEnd: false, reason: null, hasUnbilledUsage: false }), { refused: "illegal_state" }],
  ],
  resume: [
    [
      "set to cancel at period end: the cancellation is withdrawn",
      () => decideResume(facts({ cancelAtPeriodEnd: true, canceledAt: NOW }), 1),
      { cancelAtPeriodEnd: false, callOff: ["period_end_cancel (resumed)"], plan: ["renewal 2027-07-01 00:00"], mails: ["resumed"] },
    ],
    ["canceled now, paid time left: restored, no charge, renewal on the paid-through date", () => decideResume(facts(ENDED), 1), { status: "active", cancelAtPeriodEnd: false, plan: ["renewal 2027-07-01 00:00"], mails: ["resumed"] }],
    [
      "canceled in a trial, trial time left: the trial goes on",
      () => decideResume(facts({ ...TRIAL, ...ENDED }), 1),
      { status: "trialing", cancelAtPeriodEnd: false, plan: ["trial_end 2027-06-24 00:00"], mails: ["resumed"] },
    ],
    [
      "canceled, after the paid-through date: a new first period from today",
      () => decideResume(facts({ ...ENDED, paidThrough: jst("2027-06-01T00:00:00") }), 2),
      { charge: "resume", lines: ["period 3000"], periodEnd: "2027-07-15 00:00" },
    ],
    [
      "after the paid-through date on a billing-day plan: prorated to the billing day",
      () => decideResume(facts({ ...ENDED, paidThrough: jst("2027-06-01T00:00:00"), billingAnchor: 25 }, { plan: plan({ billingDay: 25 }) }), 1),
      { charge: "resume", lines: ["proration 967"], periodEnd: "2027-06-25 00:00" },
    ],
    ["after the paid-through date, no card: refused", () => decideResume(facts({ ...ENDED, paidThrough: jst("2027-06-01T00:00:00"), paymentMethodId: null }), 1), { refused: "parameter_invalid" }],
    ["paused: un-paused", () => decideResume(facts({ status: "paused", pausedAt: NOW }), 1), { status: "active", callOff: ["unpause (resumed)"], plan: ["renewal 2027-07-01 00:00"], mails: ["resumed"] }],
    ["active: refused", () => decideResume(facts(), 1), { refused: "illegal_state" }],
    ["past due: refused (a retry or a card update pays it)", () => decideResume(facts(PAST_DUE), 1), { refused: "illegal_state" }],
  ],
  pause: [
    [
      "active, until a date: paused, renewal called off, un-pause planned",
      () => decidePause(facts(), { resumeAt: jst("2027-08-01T00:00:00") }),
      { status: "paused", callOff: ["renewal+trial_end+trial_reminder (paused)"], plan: ["unpause 2027-08-01 00:00"], mails: ["paused"] },
    ],
    ["trialing: paused, its trial end kept", () => decidePause(facts(TRIAL), { resumeAt: null }), { status: "paused", callOff: ["renewal+trial_end+trial_reminder (paused)"], mails: ["paused"] }],
    ["past due: refused", () => decidePause(facts(PAST_DUE), { resumeAt: null }), { refused: "illegal_state" }],
    ["set to cancel: refused", () => decidePause(facts({ cancelAtPeriodEnd: true }), { resumeAt: null }), { refused: "already_canceling" }],
    ["un-pause in the past: refused", () => decidePause(facts(), { resumeAt: jst("2027-06-01T00:00:00") }), { refused: "parameter_invalid" }],
    ["un-paused with paid time left: its renewal on the paid-through date", () => decideUnpause(facts({ status: "paused", pausedAt: NOW })), { status: "active", callOff: ["unpause (resumed)"], plan: ["renewal 2027-07-01 00:00"], mails: ["resumed"] }],
    [
      "un-paused after the paid-through date: a new cycle from today, charged at once",
      () => decideUnpause(facts({ status: "paused", pausedAt: jst("2027-05-01T00:00:00"), paidThrough: jst("2027-06-01T00:00:00") })),
      { status: "active", paidThrough: "2027-06-15 10:00", billingAnchor: 15, callOff: ["unpause (resumed)"], plan: ["renewal 2027-06-15 10:00"], mails: ["resumed"] },
    ],
    [
      "a trial un-paused after its end: the trial ends now and converts",
      () => decideUnpause(facts({ ...TRIAL, status: "paused", paidThrough: jst("2027-06-12T00:00:00"), trialEnd: jst("2027-06-12T00:00:00") })),
      { status: "trialing", paidThrough: "2027-06-15 10:00", billingAnchor: 15, trialEnd: "2027-06-15 10:00", callOff: ["unpause (resumed)"], plan: ["trial_end 2027-06-15 10:00"], mails: ["resumed"] },
    ],
    ["not paused: refused", () => decideUnpause(facts()), { refused: "illegal_state" }],
  ],
  "change plan": [
    ["to the same plan, nothing pending: refused", () => decideChangePlan(facts(), { target: MONTHLY, when: "now", proration: "daily", paidForCurrentPeriod: 3000, changeNumber: 1 }), { refused: "same_plan" }],
    ["to the same plan with a change pending: the pending change is withdrawn", () => decideChangePlan(facts({ pendingPlanId: "plan_lite" }), { target: MONTHLY, when: "now", proration: "daily", paidForCurrentPeriod: 3000, changeNumber: 1 }), { pendingPlanId: null }],
    ["to another currency: refused", () => decideChangePlan(facts(), { target: plan({ id: "plan_usd", currency: "usd" }), when: "now", proration: "daily", paidForCurrentPeriod: 3000, changeNumber: 1 }), { refused: "currency_mismatch" }],
    ["at period end: pending until the renewal", () => decideChangePlan(facts(), { target: plan({ id: "plan_pro", amount: 6000 }), when: "period_end", proration: "daily", paidForCurrentPeriod: 3000, changeNumber: 1 }), { pendingPlanId: "plan_pro", mails: ["plan_changed"] }],
    ["in a trial: switched now, the trial goes on", () => decideChangePlan(facts(TRIAL), { target: plan({ id: "plan_pro", amount: 6000 }), when: "now", proration: "daily", paidForCurrentPeriod: 0, changeNumber: 1 }), { planId: "plan_pro", pendingPlanId: null, mails: ["plan_changed"] }],
    ["now, no proration: switched, billed from the paid-through date", () => decideChangePlan(facts(), { target: plan({ id: "plan_pro", amount: 6000 }), when: "now", proration: "none", paidForCurrentPeriod: 3000, changeNumber: 1 }), { planId: "plan_pro", pendingPlanId: null, mails: ["plan_changed"] }],
    [
      "now, daily, an upgrade: 16 of 30 days credited and charged, rounded down per line",
      () => decideChangePlan(facts(), { target: plan({ id: "plan_pro", amount: 6000 }), when: "now", proration: "daily", paidForCurrentPeriod: 3000, changeNumber: 1 }),
      { charge: "plan_change", lines: ["proration 3200", "proration_credit -1600"], periodEnd: "2027-07-01 00:00" },
    ],
    [
      "now, daily, a downgrade: the net credit is carried, the invoice is zero",
      () => decideChangePlan(facts(), { target: plan({ id: "plan_lite", amount: 1000 }), when: "now", proration: "daily", paidForCurrentPeriod: 3000, changeNumber: 1 }),
      { charge: "plan_change", lines: ["proration 533", "proration_credit -1600", "credit_carried 1067"], periodEnd: "2027-07-01 00:00" },
    ],
    [
      "now, daily, with credit on the contract: taken off the charge",
      () => decideChangePlan(facts({ creditBalance: 500 }), { target: plan({ id: "plan_pro", amount: 6000 }), when: "now", proration: "daily", paidForCurrentPeriod: 3000, changeNumber: 1 }),
      { charge: "plan_change", lines: ["proration 3200", "proration_credit -1600", "credit_applied -500"], periodEnd: "2027-07-01 00:00" },
    ],
    [
      "now, daily, the credit capped by what was paid for the period (a free first period earns none)",
      () => decideChangePlan(facts(), { target: plan({ id: "plan_pro", amount: 6000 }), when: "now", proration: "daily", paidForCurrentPeriod: 0, changeNumber: 1 }),
      { charge: "plan_change", lines: ["proration 3200"], periodEnd: "2027-07-01 00:00" },
    ],
    [
      "now, daily, to a yearly plan: the new cycle starts today, the unused month credited",
      () => decideChangePlan(facts(), { target: plan({ id: "plan_year", interval: "year", amount: 30000 }), when: "now", proration: "daily", paidForCurrentPeriod: 3000, changeNumber: 1 }),
      { charge: "plan_change", lines: ["period 30000", "proration_credit -1600"], periodEnd: "2028-06-15 00:00" },
    ],
    ["now, daily, to another tax treatment: refused", () => decideChangePlan(facts(), { target: plan({ id: "plan_food", taxRate: 8 }), when: "now", proration: "daily", paidForCurrentPeriod: 3000, changeNumber: 1 }), { refused: "tax_mismatch" }],
    ["past due: refused", () => decideChangePlan(facts(PAST_DUE), { target: plan({ id: "plan_pro" }), when: "now", proration: "daily", paidForCurrentPeriod: 0, changeNumber: 1 }), { refused: "illegal_state" }],
  ],
};

const due = (kind: DueAction["kind"], dueAt: Date, extra: Partial<DueAction> = {}): DueAction => ({ id: "act_1", kind, dueAt, invoiceId: null, payload: {}, ...extra });
const noFacts = { usage: [], pendingPlan: null };

const DUE: Row[] = [
  ["a renewal on its paid-through date: the next period", () => decideDueAction(facts({}, { now: jst("2027-07-01T00:00:00") }), due("renewal", jst("2027-07-01T00:00:00")), noFacts), { charge: "renewal", lines: ["period 3000"], periodEnd: "2027-08-01 00:00" }],
  [
    "a renewal with usage: billed on it",
    () => decideDueAction(facts({}, { now: jst("2027-07-01T00:00:00") }), due("renewal", jst("2027-07-01T00:00:00")), { usage: [{ metric: "lessons", quantity: 3 }], pendingPlan: null }),
    { charge: "renewal", lines: ["period 3000", "usage 1500"], periodEnd: "2027-08-01 00:00" },
  ],
  [
    "a renewal on a pending yearly plan: the new plan's cycle",
    () => decideDueAction(facts({ pendingPlanId: "plan_year" }, { now: jst("2027-07-01T00:00:00") }), due("renewal", jst("2027-07-01T00:00:00")), { usage: [], pendingPlan: plan({ id: "plan_year", interval: "year", amount: 30000 }) }),
    { charge: "renewal", lines: ["period 30000"], periodEnd: "2028-07-01 00:00" },
  ],
  ["a renewal whose paid-through date moved: skipped", () => decideDueAction(facts(), due("renewal", jst("2027-06-01T00:00:00")), noFacts), { skip: "paid_through_moved", as: "skipped" }],
  ["a renewal of a contract set to cancel: skipped", () => decideDueAction(facts({ cancelAtPeriodEnd: true }), due("renewal", jst("2027-07-01T00:00:00")), noFacts), { skip: "contract_active", as: "skipped" }],
  [
    "a trial's end, free up to the billing day: no invoice, the period starts",
    () => decideDueAction(facts({ ...TRIAL, billingAnchor: 25 }, { plan: plan({ billingDay: 25, firstPeriod: "free" }), now: jst("2027-06-24T00:00:00") }), due("trial_end", jst("2027-06-24T00:00:00")), noFacts),
    { status: "active", paidThrough: "2027-06-25 00:00", overdueInvoiceId: null, plan: ["renewal 2027-06-25 00:00"], outcome: "no_charge_due" },
  ],
  ["a retry of the overdue invoice: collected again", () => decideDueAction(facts(PAST_DUE), due("retry", NOW, { invoiceId: "in_overdue" }), noFacts), { collect: "in_overdue" }],
  ["a retry of an invoice no longer overdue: skipped", () => decideDueAction(facts(), due("retry", NOW, { invoiceId: "in_old" }), noFacts), { skip: "not_overdue", as: "skipped" }],
  ["a dunning notice while unpaid: mailed", () => decideDueAction(facts(UNPAID), due("dunning_notice", NOW, { invoiceId: "in_overdue", payload: { template: "final_notice" } }), noFacts), { mails: ["final_notice"], outcome: "mail_queued" }],
  ["a dunning notice once paid: skipped", () => decideDueAction(facts(), due("dunning_notice", NOW, { invoiceId: "in_overdue", payload: { template: "final_notice" } }), noFacts), { skip: "skipped_not_unpaid", as: "skipped" }],
  [
    "a dunning notice while past due waiting for authentication: unpaid from now, mailed",
    () => decideDueAction(facts(PAST_DUE), due("dunning_notice", NOW, { invoiceId: "in_overdue", payload: { template: "unpaid_notice" } }), noFacts),
    { status: "unpaid", mails: ["unpaid_notice"], outcome: "mail_queued" },
  ],
  ["the fallback invoice while unpaid: sent", () => decideDueAction(facts(UNPAID), due("atobarai_fallback", NOW, { invoiceId: "in_overdue" }), noFacts), { sendFallback: "in_overdue" }],
  ["the fallback invoice once paid: skipped", () => decideDueAction(facts(), due("atobarai_fallback", NOW, { invoiceId: "in_overdue" }), noFacts), { skip: "skipped_not_unpaid", as: "skipped" }],
  ["the fallback invoice once withdrawn: skipped", () => decideDueAction(facts({ ...UNPAID, status: "withdrawn" }), due("atobarai_fallback", NOW, { invoiceId: "in_overdue" }), noFacts), { skip: "skipped_not_unpaid", as: "skipped" }],
  [
    "the fallback invoice while past due waiting for authentication: unpaid from now, sent",
    () => decideDueAction(facts(PAST_DUE), due("atobarai_fallback", NOW, { invoiceId: "in_overdue" }), noFacts),
    { sendFallback: "in_overdue", status: "unpaid" },
  ],
  ["a dunning notice of another invoice while past due: skipped", () => decideDueAction(facts(PAST_DUE), due("dunning_notice", NOW, { invoiceId: "in_old", payload: { template: "unpaid_notice" } }), noFacts), { skip: "skipped_not_unpaid", as: "skipped" }],
  [
    "withdrawal while past due waiting for authentication: withdrawn, the debt written off",
    () => decideDueAction(facts(PAST_DUE), due("withdrawal", NOW, { invoiceId: "in_overdue" }), noFacts),
    { status: "withdrawn", callOff: ["the course (contract_withdraw)"], invoices: ["in_overdue uncollectible"], outcome: "withdrawn" },
  ],
  ["withdrawal while unpaid: withdrawn, the debt written off", () => decideDueAction(facts(UNPAID), due("withdrawal", NOW, { invoiceId: "in_overdue" }), noFacts), { status: "withdrawn", callOff: ["the course (contract_withdraw)"], invoices: ["in_overdue uncollectible"], outcome: "withdrawn" }],
  [
    "the end of a contract set to cancel, with usage: canceled, its final invoice planned",
    () => decideDueAction(facts({ cancelAtPeriodEnd: true }, { now: jst("2027-07-01T00:00:00") }), due("period_end_cancel", jst("2027-07-01T00:00:00")), { usage: [{ metric: "lessons", quantity: 2 }], pendingPlan: null }),
    { status: "canceled", callOff: ["the course (contract_cancel)"], plan: ["final_invoice 2027-07-01 00:00"], outcome: "canceled" },
  ],
  ["a final invoice with usage: charged", () => decideDueAction(facts(ENDED), due("final_invoice", NOW), { usage: [{ metric: "lessons", quantity: 2 }], pendingPlan: null }), { charge: "final", lines: ["usage 1000"], periodEnd: null }],
  ["a final invoice with nothing to bill: done", () => decideDueAction(facts(ENDED), due("final_invoice", NOW), noFacts), { skip: "no_usage", as: "done" }],
  ["a retry of a final invoice: collected again", () => decideDueAction(facts(ENDED), due("final_invoice", NOW, { invoiceId: "in_final" }), noFacts), { collect: "in_final" }],
  ["a planned un-pause: un-paused", () => decideDueAction(facts({ status: "paused", pausedAt: NOW }), due("unpause", NOW), noFacts), { status: "active", callOff: ["unpause (resumed)"], plan: ["renewal 2027-07-01 00:00"], mails: ["resumed"], outcome: "unpaused" }],
];

const course = (over: Partial<OverdueCourse>): OverdueCourse => ({ invoiceId: "in_overdue", firstFailureAt: jst("2027-06-01T00:05:00"), retriesDone: 1, pending: [], ranKeys: new Set(), ...over });

const REPLAN: Row[] = [
  [
    "past due waiting for authentication, a longer schedule: still no retries, the notices from when the new retries would run out",
    () =>
      replanOverdue(
        { ...facts(PAST_DUE), settings: { ...DEFAULT_BILLING_SETTINGS, retryScheduleDays: [7, 21, 28] } },
        course({
          retriesDone: 0,
          awaitingAuthentication: true,
          pending: [
            { kind: "dunning_notice", key: "dunning:in_overdue:unpaid_notice", dueAt: jst("2027-06-15T00:05:00"), payload: { template: "unpaid_notice" } },
            { kind: "dunning_notice", key: "dunning:in_overdue:final_notice", dueAt: jst("2027-07-31T00:00:00"), payload: { template: "final_notice" } },
            { kind: "dunning_notice", key: "dunning:in_overdue:withdrawal_notice", dueAt: jst("2027-08-07T00:00:00"), payload: { template: "withdrawal_notice" } },
            { kind: "withdrawal", key: "withdrawal:in_overdue", dueAt: jst("2027-08-07T01:00:00") },
          ],
        }),
      )?.effects ?? null,
    {
      callOff: ["retry+dunning_notice+atobarai_fallback+withdrawal (settings_changed)"],
      plan: ["dunning_notice:unpaid_notice 2027-06-29 00:05", "dunning_notice:final_notice 2027-07-31 00:00", "dunning_notice:withdrawal_notice 2027-08-07 00:00", "withdrawal 2027-08-07 01:00"],
    },
  ],
  [
    "past due, a longer schedule: the retries not run yet by the new one",
    () => replanOverdue({ ...facts(PAST_DUE), settings: { ...DEFAULT_BILLING_SETTINGS, retryScheduleDays: [7, 21, 28] } }, course({ pending: [{ kind: "retry", key: "retry:in_overdue:2", dueAt: jst("2027-06-15T00:05:00") }], ranKeys: new Set(["retry:in_overdue:1"]) }))?.effects ?? null,
    { callOff: ["retry+dunning_notice+atobarai_fallback+withdrawal (settings_changed)"], plan: ["retry 2027-06-22 00:05", "retry 2027-06-29 00:05"] },
  ],
  [
    "past due, a schedule already used up: unpaid, dunning now",
    () => replanOverdue({ ...facts(PAST_DUE), settings: { ...DEFAULT_BILLING_SETTINGS, retryScheduleDays: [3] } }, course({ pending: [{ kind: "retry", key: "retry:in_overdue:2", dueAt: jst("2027-06-15T00:05:00") }], ranKeys: new Set(["retry:in_overdue:1"]) }))?.effects ?? null,
    {
      status: "unpaid",
      overdueInvoiceId: "in_overdue",
      callOff: ["retry+dunning_notice+atobarai_fallback+withdrawal (settings_changed)"],
      plan: ["dunning_notice:unpaid_notice 2027-06-15 10:00", "dunning_notice:final_notice 2027-07-31 00:00", "dunning_notice:withdrawal_notice 2027-08-07 00:00", "withdrawal 2027-08-07 01:00"],
    },
  ],
  [
    "unpaid, never withdraw: the withdrawal is called off, the notices kept",
    () =>
      replanOverdue(
        { ...facts(UNPAID), settings: { ...DEFAULT_BILLING_SETTINGS, dunning: { ...DEFAULT_BILLING_SETTINGS.dunning, withdraw: { enabled: false, hoursAfterLastNotice: 1 } } } },
        course({
          pending: [
            { kind: "dunning_notice", key: "dunning:in_overdue:final_notice", dueAt: jst("2027-07-31T00:00:00") },
            { kind: "dunning_notice", key: "dunning:in_overdue:withdrawal_notice", dueAt: jst("2027-08-07T00:00:00") },
            { kind: "withdrawal", key: "withdrawal:in_overdue", dueAt: jst("2027-08-07T01:00:00") },
          ],
          ranKeys: new Set(["dunning:in_overdue:unpaid_notice"]),
        }),
      )?.effects ?? null,
    { callOff: ["retry+dunning_notice+atobarai_fallback+withdrawal (settings_changed)"], plan: ["dunning_notice:final_notice 2027-07-31 00:00", "dunning_notice:withdrawal_notice 2027-08-07 00:00"] },
  ],
  [
    "unpaid, the same timeline: nothing changes",
    () =>
      replanOverdue(
        facts(UNPAID),
        course({
          pending: [
            { kind: "dunning_notice", key: "dunning:in_overdue:final_notice", dueAt: jst("2027-07-31T00:00:00") },
            { kind: "dunning_notice", key: "dunning:in_overdue:withdrawal_notice", dueAt: jst("2027-08-07T00:00:00") },
            { kind: "withdrawal", key: "withdrawal:in_overdue", dueAt: jst("2027-08-07T01:00:00") },
          ],
          ranKeys: new Set(["dunning:in_overdue:unpaid_notice"]),
        }),
      )?.effects ?? null,
    { nothing: true },
  ],
  ["past due on a plan with its own retry schedule: untouched", () => replanOverdue({ ...facts(PAST_DUE, { plan: plan({ retryScheduleDays: [3, 6] }) }), settings: { ...DEFAULT_BILLING_SETTINGS, retryScheduleDays: [1] } }, course({}))?.effects ?? null, { nothing: true }],
];

describe("the billing rules, case by case", () => {
  for (const [decision, rows] of Object.entries({ ...CASES, "a due action": DUE, "new billing settings": REPLAN })) {
    describe(decision, () => {
      it.each(rows)("%s", (_name, decide, expected) => {
        expect(told(decide())).toEqual(expected);
      });
    });
  }

  it("a sign-up: a trial, a free period up to the billing day, or a first charge with the joining fee", () => {
    const signUp = (p: PlanFacts, paymentMethodId: string | null = "pm_1") => decideSignUp({ id: "sub_1", plan: p, settings: DEFAULT_BILLING_SETTINGS, timeZone: "Asia/Tokyo", now: NOW }, { paymentMethodId });
    const trial = signUp(plan({ trialDays: 14, trialReminderDays: 3, joiningFee: 5000 }));
    expect(isRefusal(trial) ? null : { status: trial.state.status, paidThrough: day(trial.state.paidThrough!), joiningFeePending: trial.state.joiningFeePending, charge: trial.charge, then: told(trial.effects) }).toEqual({
      status: "trialing",
      paidThrough: "2027-06-29 00:00",
      joiningFeePending: true,
      charge: null,
      then: { plan: ["trial_end 2027-06-29 00:00", "trial_reminder 2027-06-26 00:00"], mails: ["welcome"] },
    });
    const free = signUp(plan({ billingDay: 25, firstPeriod: "free" }), null);
    expect(isRefusal(free) ? null : { status: free.state.status, paidThrough: day(free.state.paidThrough!), charge: free.charge, then: told(free.effects) }).toEqual({
      status: "active",
      paidThrough: "2027-06-25 00:00",
      charge: null,
      then: { plan: ["renewal 2027-06-25 00:00"], mails: ["welcome"] },
    });
    const now = signUp(plan({ billingDay: 25, joiningFee: 5000 }));
    expect(isRefusal(now) ? null : { status: now.state.status, paidThrough: now.state.paidThrough, charge: told({ charge: now.charge! }) }).toEqual({
      status: "incomplete",
      paidThrough: null,
      charge: { charge: "first", lines: ["proration 967", "joining_fee 5000"], periodEnd: "2027-06-25 00:00" },
    });
    const refused = signUp(MONTHLY, null);
    expect(isRefusal(refused) && refused.refused.reason).toBe("parameter_invalid");
  });
});
