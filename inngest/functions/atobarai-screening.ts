import { cron } from "inngest";
import { screenRegisteredAtobaraiOrders } from "@/lib/services/screen-atobarai-orders";
import { inngest } from "../client";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** Every five minutes: screens (与信) the 後払い orders waiting in `registered` and mails the owners each result. */
export const createAtobaraiScreening = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction({ id: "atobarai-screening", triggers: [cron("*/5 * * * *")], concurrency: [{ limit: 1 }] }, async ({ step }) =>
    step.run("screen", async () => screenRegisteredAtobaraiOrders(await runContext(), { limit: 500 })),
  );
