import type { ContractFacts } from "../contract";
import { type DeclineKind, declineKind } from "../decline";
import { combine, type Effects, effects, type MailDecision } from "../effects";
import type { InvoiceKind } from "../invoice";
import { mailKeys } from "../mail-template";
import { isEnded, nextStatus } from "../subscription-state";
import { effectiveRetrySchedule, retryTimes } from "../retry-schedule";
import { actionKeys } from "../scheduled-action";
import { automaticRetries, dunningActions, startDunning } from "./course";

/** What the rules need to know of a charge the gateway declined. */
export type FailedCharge = {
  invoice: { id: string; kind: InvoiceKind; total: number; currency: string };
  attempt: { id: string; number: number; failureCode: string | null };
  /** Whether an automatic retry of this invoice is still planned (besides the one that just ran). */
  automaticRetryPending: boolean;
};

/**
 * A declined charge. Side charges (additional, a restart, a plan change) just fail and change nothing; so does a
 * charge that was in flight when its contract ended. A contract's last usage (final) is retried on the schedule
 * and written off when the retries are used up. Otherwise a soft decline follows the retry schedule and a hard one
 * (lost, stolen, expired card) skips it: the contract is unpaid at once and its dunning timeline starts. Every
 * decline that a customer can fix mails them the card-update link. A decline for authentication (3-D Secure, which
 * needs the customer present) is never retried automatically: the contract is past due, the customer is mailed at
 * once a link to authenticate that charge (payment_authentication), and the dunning timeline is planned to start when
 * the retries would have run out, so the customer has the same time to pay as after a soft decline.
 */
export function decideChargeFailed(facts: ContractFacts, charge: FailedCharge): Effects {
  const { state, now } = facts;
  const { invoice, attempt } = charge;
  const kind = declineKind(attempt.failureCode);
  const authenticate = kind === "authentication";
  const mail: MailDecision = {
    template: authenticate ? "payment_authentication" : "charge_failed",
    key: authenticate ? mailKeys.paymentAuthentication(attempt.id) : mailKeys.chargeFailed(attempt.id),
    invoiceId: invoice.id,
    amount: { amount: invoice.total, currency: invoice.currency },
    variables: { decline: kind, failure_code: attempt.failureCode ?? "" },
  };
  const audit = [{ action: "invoice.payment_failed", target: { type: "invoice" as const, id: invoice.id }, data: { failureCode: attempt.failureCode, decline: kind } }];
  const voided = () => effects({ invoices: [{ invoiceId: invoice.id, status: "void", onlyIfOpen: true }], audit });

  if (invoice.kind === "additional" || invoice.kind === "resume" || invoice.kind === "plan_change") return voided();
  if (invoice.kind === "final") return finalInvoiceFailed(facts, charge, kind, authenticate ? { ...mail, template: "charge_failed", key: mailKeys.chargeFailed(attempt.id) } : mail, audit);
  if (isEnded(state.status)) return voided();

  const base = effects({ mails: [mail], audit });
  switch (state.status) {
    case "incomplete":
      // The checkout's first charge: the contract waits for a new card or a retry, with no schedule of its own.
      return combine(base, effects({ changes: { overdueInvoiceId: state.overdueInvoiceId ?? invoice.id } }));
    case "active":
    case "trialing":
      if (authenticate) return combine(base, awaitAuthentication(facts, invoice.id, true));
      if (kind === "hard") return combine(base, startDunning(facts, invoice.id, "hard_decline"));
      return combine(
        base,
        effects({
          changes: { status: nextStatus(state.status, "payment_failed"), overdueInvoiceId: invoice.id },
          plan: automaticRetries(facts, invoice.id, now),
        }),
      );
    case "past_due":
      if (authenticate) return combine(base, awaitAuthentication(facts, invoice.id, charge.automaticRetryPending));
      if (kind === "hard") return combine(base, startDunning(facts, invoice.id, "hard_decline"));
      return charge.automaticRetryPending ? base : combine(base, startDunning(facts, invoice.id, "retries_exhausted"));
    default:
      // Unpaid (its dunning is under way) or paused: the decline is told to the customer, nothing else changes.
      return base;
  }
}

/**
 * A charge that waits for the customer to authenticate it: the contract is past due with the invoice overdue, its
 * automatic retries (none for a first failure; the rest of them for a retry) are called off, as they cannot succeed
 * without the customer, and the dunning timeline is planned from when they would have run out (from now when they
 * already had). The contract becomes unpaid when its first notice falls due (decideDueAction) unless paid by then.
 */
function awaitAuthentication(facts: ContractFacts, invoiceId: string, retriesLeft: boolean): Effects {
  const { state, now } = facts;
  const schedule = effectiveRetrySchedule(facts.plan.retryScheduleDays, facts.settings.retryScheduleDays);
  const retriesEnd = retriesLeft ? (retryTimes(now, schedule, facts.timeZone).at(-1) ?? now) : now;
  return effects({
    changes: { status: nextStatus(state.status, "payment_failed"), overdueInvoiceId: invoiceId },
    callOff: state.status === "past_due" ? [{ kinds: ["retry"], reason: "authentication_required", keepManualRetries: true }] : [],
    plan: dunningActions(facts, invoiceId, retriesEnd),
  });
}

/**
 * A contract's last usage has a course of its own, apart from the contract's (which has ended, or started again):
 * its retries are final_invoice actions of the invoice, and when they are used up (or the decline is hard) the
 * invoice is written off (so it is when the charge needs authentication: the contract has ended, there is nothing
 * to authenticate it for). It never touches the contract's overdue invoice, so nothing the contract does later can
 * leave it uncollected.
 */
function finalInvoiceFailed(facts: ContractFacts, charge: FailedCharge, kind: DeclineKind, mail: MailDecision, audit: Effects["audit"]): Effects {
  const { now } = facts;
  const { invoice } = charge;
  if (charge.attempt.number === 1 && kind === "soft") {
    const schedule = effectiveRetrySchedule(facts.plan.retryScheduleDays, facts.settings.retryScheduleDays);
    const retries = retryTimes(now, schedule, facts.timeZone).map((dueAt, i) => ({ kind: "final_invoice" as const, dueAt, key: actionKeys.finalInvoiceRetry(invoice.id, i + 1), invoiceId: invoice.id, payload: { retryNumber: i + 1 } }));
    if (retries.length > 0) return effects({ plan: retries, mails: [mail], audit });
  }
  if (kind === "soft" && charge.automaticRetryPending) return effects({ mails: [mail], audit });
  return effects({
    callOff: [{ kinds: ["final_invoice"], reason: "superseded", invoiceId: invoice.id }],
    invoices: [{ invoiceId: invoice.id, status: "uncollectible" }],
    mails: [mail],
    audit,
  });
}
