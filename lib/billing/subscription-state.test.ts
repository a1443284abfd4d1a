import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canTransition,
  IllegalTransitionError,
  isEnded,
  isLive,
  isOverdue,
  nextStatus,
  SUBSCRIPTION_EVENTS,
  SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
  transitions,
} from "./subscription-state";

/** Every status a contract can reach from a sign-up (trialing, active or incomplete), by any events. */
function reachable(): Set<SubscriptionStatus> {
  const seen = new Set<SubscriptionStatus>(["trialing", "active", "incomplete"]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { from, to } of transitions()) {
      if (seen.has(from) && !seen.has(to)) {
        seen.add(to);
        grew = true;
      }
    }
  }
  return seen;
}

/**
 * The life cycle's rules, stated as properties of the table rather than a copy of it: the decisions
 * (lib/billing/decisions) are tested case by case against the statuses they produce.
 */
describe("the life cycle", () => {
  it("reaches every status from a sign-up, and no status is a dead end", () => {
    expect([...reachable()].sort()).toEqual([...SUBSCRIPTION_STATUSES].sort());
    for (const status of SUBSCRIPTION_STATUSES) expect(SUBSCRIPTION_EVENTS.some((e) => canTransition(status, e)), status).toBe(true);
  });

  it("returns every contract that owes an invoice to active when it is paid", () => {
    for (const status of SUBSCRIPTION_STATUSES.filter(isOverdue)) expect(nextStatus(status, "payment_succeeded")).toBe("active");
  });

  it("withdraws only unpaid contracts, which only exhausted retries or a hard decline make", () => {
    expect(transitions().filter((t) => t.event === "withdraw")).toEqual([{ from: "unpaid", event: "withdraw", to: "withdrawn" }]);
    expect([...new Set(transitions().filter((t) => t.to === "unpaid" && t.from !== "unpaid").map((t) => t.event))].sort()).toEqual(["hard_decline", "retries_exhausted"]);
  });

  it("brings ended contracts back only by a resume, and charges or dunns nothing that has ended", () => {
    for (const status of SUBSCRIPTION_STATUSES.filter(isEnded)) {
      expect(transitions().filter((t) => t.from === status).every((t) => t.event === "resume" || t.event === "resume_trial")).toBe(true);
      for (const event of ["payment_succeeded", "payment_failed", "hard_decline", "retries_exhausted", "withdraw", "pause"] as const) expect(canTransition(status, event)).toBe(false);
    }
  });

  it("pauses only contracts in good standing, and a paused one only un-pauses or ends", () => {
    expect(transitions().filter((t) => t.event === "pause").map((t) => t.from).sort()).toEqual(["active", "trialing"]);
    expect(transitions().filter((t) => t.from === "paused").map((t) => t.event).sort()).toEqual(["cancel", "unpause", "unpause_trial"]);
  });

  it("lets any live or incomplete contract be canceled, and never an ended one", () => {
    for (const status of SUBSCRIPTION_STATUSES) expect(canTransition(status, "cancel")).toBe(!isEnded(status));
  });

  it("tells statuses apart: ended ones are not live; owing ones are live or incomplete", () => {
    for (const status of SUBSCRIPTION_STATUSES) {
      expect(isEnded(status) && isLive(status)).toBe(false);
      if (isOverdue(status)) expect(isLive(status) || status === "incomplete").toBe(true);
    }
  });

  it("any sequence of events either moves along the table or throws, changing nothing", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUBSCRIPTION_STATUSES), fc.array(fc.constantFrom(...SUBSCRIPTION_EVENTS), { maxLength: 30 }), (start, events) => {
        let status: SubscriptionStatus = start;
        for (const event of events) {
          const legal = transitions().find((t) => t.from === status && t.event === event);
          expect(canTransition(status, event)).toBe(legal !== undefined);
          if (legal) status = nextStatus(status, event);
          else {
            const error = (() => {
              try {
                nextStatus(status, event);
              } catch (e) {
                return e;
              }
            })();
            expect(error).toBeInstanceOf(IllegalTransitionError);
            expect(error).toMatchObject({ from: status, event, message: `a ${status} contract cannot ${event.replace(/_/g, " ")}` });
          }
        }
      }),
    );
  });
});
