import { cron } from "inngest";
import { dispatchRequested, inngest } from "../client";
import { markDispatched, undispatchedActions } from "@/lib/services/internal/scheduled-actions";
import { outboxEvents } from "../outbox-events";
import { configuredRunContext, type RunContextSource } from "../run-context";

export const DISPATCH_BATCH = 500;
const MAX_BATCHES = 20;
/** Pending actions further out wait in the table: no run sleeps longer than this (Inngest caps sleeps; 7 d on the free plan). */
export const DISPATCH_HORIZON_MS = 6 * 24 * 3600_000;

/**
 * The outbox relay: scheduled_actions rows whose dispatched_at is null (new, re-planned or canceled since the last
 * pass) become events — `action.scheduled` for pending ones, `action.canceled` (+ `invoice.paid` /
 * `subscription.ended`) for canceled ones, nothing for test-clock ones — and are then marked dispatched.
 * Every minute, or at once on `keizoku/dispatch.requested`.
 */
export const createDispatchScheduledActions = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction(
    { id: "dispatch-scheduled-actions", triggers: [cron("* * * * *"), { event: dispatchRequested }], concurrency: [{ limit: 1 }] },
    async ({ step }) => {
      let rowsSeen = 0;
      let eventsSent = 0;
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const rows = await step.run(`select-${batch}`, async () => {
          const { db, clock } = await runContext();
          return undispatchedActions(db, new Date(clock.now().getTime() + DISPATCH_HORIZON_MS), DISPATCH_BATCH);
        });
        if (rows.length === 0) break;
        const events = outboxEvents(rows);
        if (events.length) await step.sendEvent(`send-${batch}`, events);
        await step.run(`mark-${batch}`, async () => {
          const { db, clock } = await runContext();
          return markDispatched(db, rows, clock.now());
        });
        rowsSeen += rows.length;
        eventsSent += events.length;
        if (rows.length < DISPATCH_BATCH) break;
      }
      return { rows: rowsSeen, events: eventsSent };
    },
  );
