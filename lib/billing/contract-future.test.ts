import { describe, expect, it } from "vitest";
import { DEFAULT_BILLING_SETTINGS } from "./billing-settings";
import type { ContractState, PlanFacts } from "./contract";
import { type ContractFutureInput, contractFuture, type FutureAction, futureCharges, type FutureInvoice } from "./contract-future";
import { actionKeys } from "./scheduled-action";
import { ACTIVE_STATE, MONTHLY_PLAN } from "@/test/fixtures/contract-facts";

/** The pure forecast, case by case; the agreement with real test clocks is lib/services/scenario-contract-future.test.ts. */

const jst = (local: string) => new Date(`${local}+09:00`);
const FROM = jst("2027-06-15T10:00:00");

const MONTHLY: PlanFacts = { ...MONTHLY_PLAN, firstPeriod: "full", usageRates: [] };

const ACTIVE = ACTIVE_STATE;

const renewal = (at: Date): FutureAction => ({ id: "act_1", key: actionKeys.renewal("sub_1", at), kind: "renewal", dueAt: at, invoiceId: null, payload: {} });

function input(overrides: Partial<ContractFutureInput> & { state?: Partial<ContractState>; plan?: Partial<PlanFacts> } = {}): ContractFutureInput {
  const { state, plan, ...rest } = overrides;
  const p = { ...MONTHLY, ...plan };
  return {
    contract: { id: "sub_1", state: { ...ACTIVE, ...state }, plan: p, settings: DEFAULT_BILLING_SETTINGS, timeZone: "Asia/Tokyo" },
    plans: [p],
    actions: [renewal(jst("2027-07-01T00:00:00"))],
    invoices: [],
    card: { expMonth: 12, expYear: 2035 },
    from: FROM,
    cardFails: false,
    ...rest,
  };
}

const charges = (i: ContractFutureInput) => futureCharges(contractFuture(i)).map((c) => [c.at, c.amount.amount, c.outcome]);

describe("contractFuture", () => {
  it("renews an active monthly contract 12 times up to the same day a year later, taxed as the engine does", () => {
    const future = contractFuture(input({ plan: { taxBehavior: "exclusive", taxRate: 8 } }));
    expect(future.until).toEqual(jst("2028-06-15T00:00:00"));
    const all = futureCharges(future);
    expect(all.map((c) => c.at)).toEqual(Array.from({ length: 12 }, (_, i) => jst(`${i < 6 ? 2027 : 2028}-${String(((6 + i) % 12) + 1).padStart(2, "0")}-01T00:00:00`)));
    // 3,000 + ⌊3,000 × 8%⌋ each time.
    expect(all.every((c) => c.amount.amount === 3240 && c.tax === 240 && c.reason === "renewal" && c.outcome === "paid")).toBe(true);
    expect(all[0]).toMatchObject({ periodStart: jst("2027-07-01T00:00:00"), periodEnd: jst("2027-08-01T00:00:00") });
    expect(future.finalStatus).toBe("active");
  });

  it("with a failing card: the renewal and its retries declined, the notices, the withdrawal, and nothing after", () => {
    const future = contractFuture(input({ cardFails: true }));
    expect(charges(input({ cardFails: true }))).toEqual([
      [jst("2027-07-01T00:00:00"), 3000, "declined"],
      [jst("2027-07-08T00:00:00"), 3000, "declined"],
      [jst("2027-07-15T00:00:00"), 3000, "declined"],
    ]);
    expect(future.events.filter((e) => e.type === "mail").map((e) => [e.at, e.type === "mail" && e.template])).toEqual([
      [jst("2027-07-15T00:00:00"), "unpaid_notice"],
      [jst("2027-08-30T00:00:00"), "final_notice"],
      [jst("2027-09-06T00:00:00"), "withdrawal_notice"],
    ]);
    expect(future.events.filter((e) => e.type === "status").map((e) => e.type === "status" && [e.at, e.to])).toEqual([
      [jst("2027-07-01T00:00:00"), "past_due"],
      [jst("2027-07-15T00:00:00"), "unpaid"],
      [jst("2027-09-06T01:00:00"), "withdrawn"],
    ]);
    expect(future.events.at(-1)!.at).toEqual(jst("2027-09-06T01:00:00"));
    expect(future.finalStatus).toBe("withdrawn");
  });

  it("says when the merchant never withdraws: the contract stays unpaid", () => {
    const settings = { ...DEFAULT_BILLING_SETTINGS, dunning: { ...DEFAULT_BILLING_SETTINGS.dunning, withdraw: { enabled: false, hoursAfterLastNotice: 1 } } };
    const base = input({ cardFails: true });
    const future = contractFuture({ ...base, contract: { ...base.contract, settings } });
    expect(future.withdrawalDisabled).toBe(true);
    expect(future.finalStatus).toBe("unpaid");
  });

  it("a contract with no card is declined hard: no retries, the dunning timeline at once", () => {
    const future = contractFuture(input({ card: null, state: { paymentMethodId: null } }));
    expect(futureCharges(future).map((c) => [c.outcome, c.failureCode])).toEqual([["declined", "no_payment_method"]]);
    expect(future.finalStatus).toBe("withdrawn");
  });

  it("a card that expires before a charge is declined as expired, even when the toggle is off", () => {
    const all = futureCharges(contractFuture(input({ card: { expMonth: 9, expYear: 2027 } })));
    // Card networks count the expiry month in UTC: 00:00 on Oct 1 in Tokyo is still September there.
    expect(all.map((c) => [c.at, c.failureCode])).toEqual([
      [jst("2027-07-01T00:00:00"), null],
      [jst("2027-08-01T00:00:00"), null],
      [jst("2027-09-01T00:00:00"), null],
      [jst("2027-10-01T00:00:00"), null],
      [jst("2027-11-01T00:00:00"), "expired_card"],
    ]);
  });

  it("takes credit off the next renewal, and a pending plan change bills the new plan from then", () => {
    const yearly: PlanFacts = { ...MONTHLY, id: "plan_yearly", name: "年額", amount: 30_000, interval: "year" };
    const base = input({ state: { creditBalance: 1000, pendingPlanId: yearly.id } });
    const all = futureCharges(contractFuture({ ...base, plans: [...base.plans, yearly] }));
    expect(all.map((c) => [c.at, c.planName, c.amount.amount, c.creditApplied])).toEqual([[jst("2027-07-01T00:00:00"), "年額", 29_000, 1000]]);
  });

  it("retries an owed invoice and recovers when the card works; an overdue action runs at `from`", () => {
    const owed: FutureInvoice = {
      id: "in_1", kind: "renewal", status: "open", total: 3000, currency: "jpy", planId: MONTHLY.id, periodStart: jst("2027-06-01T00:00:00"), periodEnd: jst("2027-07-01T00:00:00"),
      extendPaidThrough: false, sendMail: true, hasJoiningFee: false, creditCarried: 0, creditApplied: 0, attemptCount: 1, tax: 272, prorated: false,
    };
    const retry: FutureAction = { id: "act_2", key: actionKeys.retry("in_1", 1), kind: "retry", dueAt: jst("2027-06-08T00:00:00"), invoiceId: "in_1", payload: { retryNumber: 1 } };
    const future = contractFuture(input({ state: { status: "past_due", overdueInvoiceId: "in_1", paidThrough: jst("2027-06-01T00:00:00") }, actions: [retry], invoices: [owed] }));
    const [first, second] = futureCharges(future);
    expect(first).toMatchObject({ at: FROM, reason: "retry", attempt: 2, outcome: "paid", tax: 272 });
    // Recovered: one full cycle from the payment day, renewed on its anchor from then on.
    expect(second).toMatchObject({ at: jst("2027-07-15T00:00:00"), reason: "renewal" });
  });

  it("planning a key again revives a called-off action, and never one that ran (as the schedule's rows do)", () => {
    const paidThrough = jst("2027-07-01T00:00:00");
    const unpause: FutureAction = { id: "act_3", key: actionKeys.unpause("sub_1", jst("2027-06-10T00:00:00")), kind: "unpause", dueAt: jst("2027-06-20T00:00:00"), invoiceId: null, payload: {} };
    const paused = { status: "paused" as const, pausedAt: jst("2027-06-10T00:00:00"), resumeAt: jst("2027-06-20T00:00:00") };
    const withRenewal = (status: "canceled" | "done") => input({ state: paused, actions: [{ ...renewal(paidThrough), status }, unpause] });
    expect(charges(withRenewal("canceled"))[0]).toEqual([paidThrough, 3000, "paid"]);
    expect(charges(withRenewal("done"))).toEqual([]);
  });

  it("stops at the horizon, and an ended contract has no future", () => {
    expect(charges(input({ months: 1 }))).toEqual([[jst("2027-07-01T00:00:00"), 3000, "paid"]]);
    const ended = contractFuture(input({ state: { status: "canceled", endedAt: FROM }, actions: [] }));
    expect(ended.events).toEqual([]);
  });

  it("says usage is left out when a plan bills it", () => {
    expect(contractFuture(input()).usageExcluded).toBe(false);
    expect(contractFuture(input({ plan: { usageRates: [{ metric: "lessons", unitAmount: 500 }] } })).usageExcluded).toBe(true);
  });
});
