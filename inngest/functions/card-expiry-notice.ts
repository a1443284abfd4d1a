import { cron } from "inngest";
import { runActionSteps } from "../action-flow";
import { actionScheduled, inngest } from "../client";
import { type Cursor, dueCardExpiryNotices } from "@/lib/services/internal/scheduled-actions";
import { actionScheduledEvent } from "../outbox-events";
import { configuredRunContext, type RunContextSource } from "../run-context";

const BATCH = 500;
const MAX_BATCHES = 20;

/**
 * On the 1st of each month (Japan time) fans out one `keizoku/action.scheduled` per card-expiry notice due by
 * now, with the same event id the dispatcher uses, so a notice already sent out starts no second run; each event
 * then runs here like any per-action flow. At most one mail per card and month is runDueAction's promise (the
 * mail's outbox key), whichever path gets there first.
 */
export const createCardExpiryNotice = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction(
    {
      id: "card-expiry-notice",
      triggers: [cron("TZ=Asia/Tokyo 0 0 1 * *"), { event: actionScheduled, if: "event.data.kind == 'card_expiry_notice'" }],
      cancelOn: [{ event: "keizoku/action.canceled", if: "async.data.actionId == event.data.actionId" }],
    },
    async ({ event, step }) => {
      if (event.name === "keizoku/action.scheduled") return runActionSteps(step, event.data, runContext);
      let after: Cursor = null;
      let sent = 0;
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const rows = await step.run(`select-${batch}`, async () => {
          const { db, clock } = await runContext();
          return dueCardExpiryNotices(db, clock.now(), BATCH, after);
        });
        if (rows.length === 0) break;
        await step.sendEvent(`fan-out-${batch}`, rows.map(actionScheduledEvent));
        sent += rows.length;
        const last = rows[rows.length - 1]!;
        after = { dueAt: last.dueAt, id: last.id };
        if (rows.length < BATCH) break;
      }
      return { sent };
    },
  );
