import { cron } from "inngest";
import { resolveUnansweredAttempts } from "@/lib/services/resolve-unanswered-attempts";
import { inngest } from "../client";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** Every 5 minutes: attempts that got no answer are looked up at their gateway and settled (no blind retries). */
export const createResolveUnansweredAttempts = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction({ id: "resolve-unanswered-attempts", triggers: [cron("*/5 * * * *")], concurrency: [{ limit: 1 }] }, async ({ step }) =>
    step.run("ask-gateways", async () => resolveUnansweredAttempts(await runContext())),
  );
