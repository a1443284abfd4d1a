import { cron } from "inngest";
import { purgeExpired } from "@/lib/services/purge-expired";
import { inngest } from "../client";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** Hourly housekeeping: expired mypage sessions, mailed tokens, idempotency records and forgotten throttle counters. */
export const createPurgeExpired = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction({ id: "purge-expired", triggers: [cron("17 * * * *")], concurrency: [{ limit: 1 }] }, async ({ step }) =>
    step.run("purge", async () => purgeExpired(await runContext())),
  );
