import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canTransition,
  IllegalTransitionError,
  isLive,
  isOverdue,
  nextStatus,
  STATUS_LABELS_JA,
  SUBSCRIPTION_EVENTS,
  SUBSCRIPTION_STATUSES,
  type SubscriptionEvent,
  type SubscriptionStatus,
} from "./subscription-state";

/**
 * The life cycle of PRODUCT.md §3, written out independently of the implementation: for every status, the
 * events it accepts and where they lead. Everything not listed must be rejected.
 */
const EXPECTED: Record<SubscriptionStatus, Partial<Record<SubscriptionEvent, SubscriptionStatus>>> = {
  // A trial converts on its first payment; a failed conversion goes into retries.
  trialing: { payment_succeeded: "active", payment_failed: "past_due", cancel: "canceled", pause: "paused" },
  active: { payment_succeeded: "active", payment_failed: "past_due", cancel: "canceled", pause: "paused" },
  // Retries pending: paying returns to active, exhausting them makes the contract unpaid.
  past_due: { payment_succeeded: "active", payment_failed: "past_due", retries_exhausted: "unpaid", cancel: "canceled" },
  // Manual retries may still fail or succeed; dunning ends in withdrawal.
  unpaid: { payment_succeeded: "active", payment_failed: "unpaid", withdraw: "withdrawn", cancel: "canceled" },
  // Ended contracts come back with one button.
  withdrawn: { resume: "active" },
  canceled: { resume: "active" },
  paused: { unpause: "active", cancel: "canceled" },
  // The first payment failed at checkout.
  incomplete: { payment_succeeded: "active", payment_failed: "incomplete", cancel: "canceled" },
};

const cases = SUBSCRIPTION_STATUSES.flatMap((from) => SUBSCRIPTION_EVENTS.map((event) => [from, event, EXPECTED[from][event] ?? null] as const));

describe("the transition table", () => {
  it("covers every status × event pair (8 × 8)", () => {
    expect(cases).toHaveLength(64);
    expect(new Set(SUBSCRIPTION_STATUSES).size).toBe(8);
    expect(new Set(SUBSCRIPTION_EVENTS).size).toBe(8);
  });

  it.each(cases.filter(([, , to]) => to !== null))("%s + %s → %s", (from, event, to) => {
    expect(nextStatus(from, event)).toBe(to);
    expect(canTransition(from, event)).toBe(true);
  });

  it.each(cases.filter(([, , to]) => to === null))("%s + %s is illegal", (from, event) => {
    expect(canTransition(from, event)).toBe(false);
    let error: unknown;
    try {
      nextStatus(from, event);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toBeInstanceOf(Error);
    const illegal = error as IllegalTransitionError;
    expect(illegal.name).toBe("IllegalTransitionError");
    expect(illegal.from).toBe(from);
    expect(illegal.event).toBe(event);
    expect(illegal.message).toBe(`a ${from} contract cannot ${event.replace(/_/g, " ")}`);
  });

  it("every status can be reached, and every status can leave (nothing is a dead end)", () => {
    const reachable = new Set(cases.flatMap(([, , to]) => (to ? [to] : [])));
    for (const status of SUBSCRIPTION_STATUSES.filter((s) => s !== "trialing" && s !== "incomplete")) expect(reachable).toContain(status);
    for (const status of SUBSCRIPTION_STATUSES) expect(SUBSCRIPTION_EVENTS.some((e) => canTransition(status, e))).toBe(true);
  });

  it("paying always returns an owing contract to active", () => {
    for (const status of SUBSCRIPTION_STATUSES.filter(isOverdue)) expect(nextStatus(status, "payment_succeeded")).toBe("active");
  });

  it("only unpaid contracts are withdrawn, only after retries are exhausted", () => {
    expect(SUBSCRIPTION_STATUSES.filter((s) => canTransition(s, "withdraw"))).toEqual(["unpaid"]);
    expect(SUBSCRIPTION_STATUSES.filter((s) => canTransition(s, "retries_exhausted"))).toEqual(["past_due"]);
  });

  it("any sequence of events either follows the table or throws without a state change", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUBSCRIPTION_STATUSES), fc.array(fc.constantFrom(...SUBSCRIPTION_EVENTS), { maxLength: 30 }), (start, events) => {
        let status: SubscriptionStatus = start;
        for (const event of events) {
          const expected = EXPECTED[status][event];
          if (expected) {
            status = nextStatus(status, event);
            expect(status).toBe(expected);
          } else {
            expect(() => nextStatus(status, event)).toThrow(IllegalTransitionError);
          }
          expect(SUBSCRIPTION_STATUSES).toContain(status);
        }
      }),
    );
  });
});

describe("status predicates and labels", () => {
  it.each<[SubscriptionStatus, string, boolean, boolean]>([
    ["trialing", "お試し中", true, false],
    ["active", "有効", true, false],
    ["past_due", "再決済中", true, true],
    ["unpaid", "決済エラー", true, true],
    ["withdrawn", "退会", false, false],
    ["canceled", "解約", false, false],
    ["paused", "停止中", true, false],
    ["incomplete", "未完了", false, true],
  ])("%s: label %s, live %s, overdue %s", (status, label, live, overdue) => {
    expect(STATUS_LABELS_JA[status]).toBe(label);
    expect(isLive(status)).toBe(live);
    expect(isOverdue(status)).toBe(overdue);
  });

  it("has a label for every status and nothing else", () => {
    expect(Object.keys(STATUS_LABELS_JA).sort()).toEqual([...SUBSCRIPTION_STATUSES].sort());
  });
});
