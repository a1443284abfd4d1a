"use server";

import { after } from "next/server";
import { getTimeZone } from "next-intl/server";
import { addLocalDays, addLocalMonths, instantOfLocalDateTime } from "@/lib/billing/calendar";
import { type ActionResult, staffAction } from "@/lib/console/action";
import { beginTestClockAdvance, completeTestClockAdvance } from "@/lib/services/advance-test-clock";
import { createSubscription } from "@/lib/services/create-subscription";
import { createTestClock } from "@/lib/services/create-test-clock";
import type { SavableTestCard } from "@/lib/gateways/sandbox-cards";
import { createTestClockCustomer } from "@/lib/services/create-test-clock-customer";
import { invalid, ServiceError } from "@/lib/services/errors";
import { getCustomer } from "@/lib/services/queries/customers";
import { getTestClock } from "@/lib/services/queries/test-clocks";

/*
 * The test clock pages' server actions: public POST endpoints, each going through staffAction to the services, which
 * check the input and the role themselves. Times typed in the forms are wall-clock times of the merchant's zone.
 */

const LIST = "/console/test-clocks";
const pagesOf = (input: unknown): string[] => {
  const id = (input as { testClockId?: unknown } | null)?.testClockId;
  return typeof id === "string" ? [LIST, `${LIST}/${id}`] : [LIST];
};

/** A datetime-local value of the merchant's zone as an instant; anything else is the field's mistake. */
async function localInstant(value: unknown, field: string): Promise<Date> {
  const at = typeof value === "string" ? instantOfLocalDateTime(value, await getTimeZone()) : null;
  if (!at) throw invalid(`${field} must be a date and time`, field);
  return at;
}

export async function createTestClockAction(input: { name: string; frozenTime: string }): Promise<ActionResult<{ id: string }>> {
  return staffAction(
    async (ctx) => {
      const clock = await createTestClock(ctx, { name: input.name?.trim() || null, frozenTime: await localInstant(input.frozenTime, "frozenTime") });
      return { id: clock.id };
    },
    { revalidate: [LIST] },
  );
}

export async function createClockCustomerAction(input: { testClockId: string; name: string; email: string; card: SavableTestCard }): Promise<ActionResult<{ id: string }>> {
  return staffAction(
    async (ctx) => {
      const { customer } = await createTestClockCustomer(ctx, input);
      return { id: customer.id };
    },
    { revalidate: pagesOf(input) },
  );
}

/** A first charge the test card declined still makes the contract (未完了 with its open invoice): an answer, not a failure. */
export type ContractOutcome = { id: string; paid: true } | { id: string; paid: false; declineCode: string | null };

export async function createClockContractAction(input: { testClockId: string; customerId: string; planId: string }): Promise<ActionResult<ContractOutcome>> {
  return staffAction(
    async (ctx): Promise<ContractOutcome> => {
      // The contract lives on its customer's clock: one of another clock (or a live one) is not this page's to sign up.
      const customer = await getCustomer(ctx, input.customerId);
      if (customer.testClockId !== input.testClockId) throw invalid("The customer is not on this test clock", "customerId");
      try {
        const sub = await createSubscription(ctx, { customerId: input.customerId, planId: input.planId });
        return { id: sub.id, paid: true };
      } catch (error) {
        if (error instanceof ServiceError && error.code === "payment_declined" && error.details.subscriptionId) {
          return { id: error.details.subscriptionId, paid: false, declineCode: error.details.declineCode ?? null };
        }
        throw error;
      }
    },
    { revalidate: pagesOf(input) },
  );
}

const ADVANCE_STEPS = ["day", "week", "month"] as const;
export type AdvanceStep = (typeof ADVANCE_STEPS)[number];

/**
 * Moves the clock forward by a step of the merchant's calendar or to a typed time. As the REST API does, the clock is
 * marked "advancing" before the answer and the due actions run after it; the page polls until it is "ready" again.
 */
export async function advanceTestClockAction(input: { testClockId: string; step: AdvanceStep | null; to: string }): Promise<ActionResult<{ target: string }>> {
  return staffAction(
    async (ctx) => {
      let target: Date;
      if (input.step) {
        if (!ADVANCE_STEPS.includes(input.step)) throw invalid("step must be day, week or month", "step");
        const { frozenTime } = await getTestClock(ctx, input.testClockId);
        const timeZone = await getTimeZone();
        if (input.step === "month") target = addLocalMonths(frozenTime, 1, timeZone);
        else target = addLocalDays(frozenTime, input.step === "week" ? 7 : 1, timeZone);
      } else {
        target = await localInstant(input.to, "frozenTime");
      }
      const clock = await beginTestClockAdvance(ctx, { testClockId: input.testClockId, frozenTime: target });
      after(async () => {
        // A failure leaves the clock "ready" where it stopped (completeTestClockAdvance); the page shows where that is.
        await completeTestClockAdvance(ctx, clock.id).catch((error: unknown) => console.error("console: test clock advance failed", error));
      });
      return { target: target.toISOString() };
    },
    { revalidate: pagesOf(input) },
  );
}
