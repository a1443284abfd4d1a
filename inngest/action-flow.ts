import type { GetStepTools } from "inngest";
import type { ActionKind } from "@/lib/billing/scheduled-action";
import { type ActionScheduledData, actionCanceled, actionScheduled, inngest, invoicePaid, subscriptionEnded } from "./client";
import { asStep } from "./errors";
import type { RunContextSource } from "./run-context";
import { runScheduledAction } from "./run-scheduled-action";

/** The events a flow may be canceled by, besides its own action's cancel event. */
export type FlowCancellation = "invoice.paid" | "subscription.ended";

const CANCELLATIONS = {
  "invoice.paid": { event: invoicePaid, if: "async.data.invoiceId == event.data.invoiceId" },
  "subscription.ended": { event: subscriptionEnded, if: "async.data.subscriptionId == event.data.subscriptionId" },
} as const;

/** The trigger filter of a flow: the action kinds it runs. */
export function kindFilter(kinds: readonly ActionKind[]): string {
  return kinds.map((k) => `event.data.kind == '${k}'`).join(" || ");
}

/**
 * A per-action flow: one run per `keizoku/action.scheduled` of the given kinds. It sleeps until the due time the
 * event carries (which came from the scheduled_actions row), then runs the action through runDueAction in one
 * named step. Canceled by the action's own cancel event and the given ones; one step at a time per contract
 * across all flows; the event id and the idempotency key make a duplicated event start no second run.
 */
export function createActionFlow(options: { id: string; kinds: readonly ActionKind[]; cancelOn?: readonly FlowCancellation[] }, runContext: RunContextSource) {
  return inngest.createFunction(
    {
      id: options.id,
      triggers: [{ event: actionScheduled, if: kindFilter(options.kinds) }],
      cancelOn: [{ event: actionCanceled, if: "async.data.actionId == event.data.actionId" }, ...(options.cancelOn ?? []).map((c) => CANCELLATIONS[c])],
      concurrency: [{ scope: "env", key: `"contract-" + event.data.subscriptionId`, limit: 1 }],
      idempotency: "event.data.actionId + '-' + event.data.dueAt",
    },
    async ({ event, step }) => runActionSteps(step, event.data, runContext),
  );
}

/** The steps of every per-action run: sleep until the row's due time, then one service call. */
export async function runActionSteps(step: GetStepTools<typeof inngest>, data: ActionScheduledData, runContext: RunContextSource) {
  await step.sleepUntil("wait-until-due", data.dueAt);
  return step.run(`run-${data.kind}`, () => asStep(async () => runScheduledAction(await runContext(), data)));
}
