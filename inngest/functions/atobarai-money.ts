import { cron } from "inngest";
import { closeAtobaraiSettlements } from "@/lib/services/close-atobarai-settlements";
import { runAtobaraiCollection } from "@/lib/services/run-atobarai-collection";
import { inngest } from "../client";
import { configuredRunContext, type RunContextSource } from "../run-context";

/**
 * Every 15 minutes (reminders and closes fall due at local midnight in each merchant's time zone): the 後払い
 * reminders and collection, then the settlement closes. Both are safe to repeat, so a retried step does nothing twice.
 */
export const createAtobaraiMoney = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction({ id: "atobarai-money", triggers: [cron("*/15 * * * *")], concurrency: [{ limit: 1 }] }, async ({ step }) => {
    const collection = await step.run("reminders-and-collection", async () => runAtobaraiCollection(await runContext()));
    const settlement = await step.run("settlement-closes", async () => closeAtobaraiSettlements(await runContext()));
    return { ...collection, statementsClosed: settlement.closed.length };
  });
