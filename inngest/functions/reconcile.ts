import { cron } from "inngest";
import { overdueActionIds } from "@/lib/services/internal/scheduled-actions";
import { runDueAction } from "@/lib/services/run-due-actions";
import { inngest } from "../client";
import { configuredRunContext, type RunContextSource } from "../run-context";

const OVERDUE_MS = 5 * 60_000;
const LIMIT = 500;
const BATCH = 25;

/**
 * Every 10 minutes: any pending action more than 5 minutes overdue (a run lost, canceled by mistake, or broken by
 * a deploy that changed step ids) goes through runDueAction, in batches of one step each. An action that fails
 * is reported and left for the next round; the others in its batch still run.
 */
export const createReconcile = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction(
    { id: "reconcile", triggers: [cron("*/10 * * * *")], concurrency: [{ limit: 1 }] },
    async ({ step }) => {
      const ids = await step.run("select-overdue", async () => {
        const { db, clock } = await runContext();
        return overdueActionIds(db, new Date(clock.now().getTime() - OVERDUE_MS), LIMIT);
      });
      const outcomes: { actionId: string; outcome: string }[] = [];
      for (let start = 0; start < ids.length; start += BATCH) {
        const batch = ids.slice(start, start + BATCH);
        const ran = await step.run(`run-batch-${start / BATCH}`, async () => {
          const runCtx = await runContext();
          const results: { actionId: string; outcome: string }[] = [];
          for (const id of batch) {
            try {
              results.push(await runDueAction(runCtx, id));
            } catch (error) {
              results.push({ actionId: id, outcome: `error: ${error instanceof Error ? error.message : String(error)}` });
            }
          }
          return results;
        });
        outcomes.push(...ran);
      }
      return { ran: outcomes.length, outcomes };
    },
  );
