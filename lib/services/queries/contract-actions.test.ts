import { describe, expect, it } from "vitest";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import { type ContractActionFacts, contractActions, refundableAmount, refundAvailability } from "./contract-actions";

const NOW = new Date("2027-03-01T00:00:00Z");
const LATER = new Date("2027-04-01T00:00:00Z");
const EARLIER = new Date("2027-02-01T00:00:00Z");

function facts(over: Partial<ContractActionFacts["subscription"]> = {}, rest: Partial<Omit<ContractActionFacts, "subscription">> = {}): ContractActionFacts {
  return {
    role: "operator",
    now: NOW,
    subscription: { status: "active", cancelAtPeriodEnd: false, paidThrough: LATER, paymentMethodId: "pm_1", pendingPlanId: null, ...over },
    owedInvoiceId: null,
    hasUsagePrices: false,
    hasOtherPlans: true,
    ...rest,
  };
}

const enabledOf = (f: ContractActionFacts) =>
  Object.fromEntries(Object.entries(contractActions(f)).map(([name, a]) => [name, a.enabled ? true : a.reason]));

describe("contractActions", () => {
  it("an active contract: everything but resume and retry", () => {
    expect(enabledOf(facts({}, { hasUsagePrices: true }))).toEqual({
      cancel: true,
      resume: "not_resumable",
      pause: true,
      retry: "nothing_owed",
      chargeAdditional: true,
      recordUsage: true,
      changePlan: true,
    });
    const actions = contractActions(facts());
    expect(actions.cancel.periodEnd).toBe(true);
    expect(actions.changePlan.periodEnd).toBe(true);
    expect(actions.chargeAdditional.extendPaidThrough).toBe(true);
    expect(actions.recordUsage).toEqual({ enabled: false, reason: "no_usage_prices" });
  });

  it("a viewer gets no action at all, whatever the contract, each with the role as the reason", () => {
    for (const status of SUBSCRIPTION_STATUSES) {
      const actions = contractActions(facts({ status }, { role: "viewer", owedInvoiceId: "in_1", hasUsagePrices: true }));
      for (const [name, availability] of Object.entries(actions)) expect(availability, `${status} ${name}`).toMatchObject({ enabled: false, reason: "role" });
    }
  });

  it("owners, admins and operators all work on contracts", () => {
    for (const role of STAFF_ROLES.filter((r) => r !== "viewer")) expect(contractActions(facts({}, { role })).cancel.enabled).toBe(true);
  });

  it("set to end at its period end: resume withdraws it, cancel ends it now, pause is refused", () => {
    const actions = contractActions(facts({ cancelAtPeriodEnd: true }));
    expect(actions.resume).toEqual({ enabled: true, reason: null, mode: "undo_cancel" });
    expect(actions.cancel).toEqual({ enabled: true, reason: null, periodEnd: false });
    expect(actions.pause).toEqual({ enabled: false, reason: "canceling" });
    expect(actions.changePlan.periodEnd).toBe(false);
  });

  it("paused: resume un-pauses; no pause, no plan change; cancel ends it now", () => {
    const actions = contractActions(facts({ status: "paused" }));
    expect(actions.resume.mode).toBe("unpause");
    expect(actions.pause).toEqual({ enabled: false, reason: "not_pausable" });
    expect(actions.changePlan).toMatchObject({ enabled: false, reason: "not_changeable" });
    expect(actions.cancel).toMatchObject({ enabled: true, periodEnd: false });
    expect(actions.chargeAdditional).toMatchObject({ enabled: true, extendPaidThrough: false });
  });

  it("overdue: retry only with an owed invoice; cancel ends it now; no pause or plan change", () => {
    for (const status of ["past_due", "unpaid", "incomplete"] as const) {
      const owed = contractActions(facts({ status }, { owedInvoiceId: "in_1" }));
      expect(owed.retry.enabled, status).toBe(true);
      expect(owed.cancel, status).toMatchObject({ enabled: true, periodEnd: false });
      expect(owed.pause.enabled, status).toBe(false);
      expect(owed.changePlan, status).toMatchObject({ enabled: false, reason: "not_changeable" });
      expect(contractActions(facts({ status })).retry, status).toEqual({ enabled: false, reason: "nothing_owed" });
    }
    expect(contractActions(facts({ status: "incomplete" })).chargeAdditional).toMatchObject({ enabled: false, reason: "not_chargeable" });
    expect(contractActions(facts({ status: "unpaid" })).chargeAdditional).toMatchObject({ enabled: true, extendPaidThrough: true });
  });

  it("ended: resume restores paid time, or restarts with a charge when there is a card; nothing else but a final invoice's retry", () => {
    for (const status of ["canceled", "withdrawn"] as const) {
      expect(contractActions(facts({ status })).resume).toEqual({ enabled: true, reason: null, mode: "restore" });
      expect(contractActions(facts({ status, paidThrough: EARLIER })).resume).toEqual({ enabled: true, reason: null, mode: "restart" });
      expect(contractActions(facts({ status, paidThrough: EARLIER, paymentMethodId: null })).resume).toEqual({ enabled: false, reason: "no_card", mode: "restart" });
      const actions = contractActions(facts({ status }, { hasUsagePrices: true }));
      expect(actions.cancel).toMatchObject({ enabled: false, reason: "already_ended" });
      expect(actions.pause.enabled).toBe(false);
      expect(actions.chargeAdditional).toMatchObject({ enabled: false, reason: "not_chargeable" });
      expect(actions.recordUsage).toEqual({ enabled: false, reason: "not_live" });
      expect(actions.retry.enabled).toBe(false);
      expect(contractActions(facts({ status }, { owedInvoiceId: "in_final" })).retry.enabled).toBe(true);
    }
  });

  it("an extra charge needs a card on file", () => {
    expect(contractActions(facts({ paymentMethodId: null })).chargeAdditional).toMatchObject({ enabled: false, reason: "no_card" });
  });

  it("a plan change needs another plan, unless one is pending (choosing the current plan withdraws it)", () => {
    expect(contractActions(facts({}, { hasOtherPlans: false })).changePlan).toMatchObject({ enabled: false, reason: "no_other_plan" });
    expect(contractActions(facts({ pendingPlanId: "plan_2" }, { hasOtherPlans: false })).changePlan.enabled).toBe(true);
    expect(contractActions(facts({ status: "trialing", paidThrough: null })).changePlan.enabled).toBe(true);
    expect(contractActions(facts({ status: "trialing", paidThrough: null })).cancel.periodEnd).toBe(false);
  });
});

describe("refunds", () => {
  const paid = { status: "paid", total: 3000, refunds: [] };

  it("owners and admins refund a paid invoice; operators and viewers may not", () => {
    expect(refundAvailability("owner", paid)).toEqual({ enabled: true, reason: null });
    expect(refundAvailability("admin", paid).enabled).toBe(true);
    expect(refundAvailability("operator", paid)).toEqual({ enabled: false, reason: "role_refund" });
    expect(refundAvailability("viewer", paid)).toEqual({ enabled: false, reason: "role_refund" });
  });

  it("only what is left: pending and made refunds count, failed ones do not", () => {
    const refunds = [
      { amount: 1000, status: "succeeded" as const },
      { amount: 500, status: "pending" as const },
      { amount: 1500, status: "failed" as const },
    ];
    expect(refundableAmount({ ...paid, refunds })).toBe(1500);
    expect(refundAvailability("owner", { ...paid, refunds: [{ amount: 3000, status: "succeeded" }] })).toEqual({ enabled: false, reason: "fully_refunded" });
  });

  it("an open, void or zero invoice has nothing to refund", () => {
    expect(refundAvailability("owner", { ...paid, status: "open" })).toEqual({ enabled: false, reason: "invoice_not_paid" });
    expect(refundAvailability("owner", { ...paid, status: "void" })).toEqual({ enabled: false, reason: "invoice_not_paid" });
    expect(refundAvailability("owner", { ...paid, total: 0 })).toEqual({ enabled: false, reason: "nothing_charged" });
  });
});
