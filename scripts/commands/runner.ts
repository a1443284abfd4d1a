import { parseArgs } from "node:util";
import { actionDriver, startConfiguredRunner } from "@/lib/runner/start-configured-runner";
import { openConfiguredDatabase } from "@/lib/runtime";
import { EXIT_FAILURE, EXIT_OK, type CliCommand } from "./command";

const usage = `Usage:
  npm run cli -- runner

Runs the embedded scheduler as a process of its own: claims due actions (renewals, retries, dunning
notices, withdrawals, card-expiry notices) with FOR UPDATE SKIP LOCKED and runs them, and works the
console's bulk jobs (bulk retry, bulk cancel), and delivers queued mails (Resend when RESEND_API_KEY is set). Several runners may run at once against PostgreSQL. Stops cleanly on SIGINT/SIGTERM. Settings: KEIZOKU_RUNNER_BATCH,
KEIZOKU_RUNNER_CONCURRENCY, KEIZOKU_RUNNER_INTERVAL_MS, KEIZOKU_LEASE_SECONDS.`;

export const runnerCommand: CliCommand = {
  name: "runner",
  summary: "runner: run due actions in a standalone process",
  usage,
  async run(args, io) {
    parseArgs({ args, options: {}, strict: true, allowPositionals: false });
    if (actionDriver() === "inngest") {
      io.err("runner: Inngest drives due actions here (INNGEST_DEV or INNGEST_EVENT_KEY is set); the embedded runner does not run alongside it");
      return EXIT_FAILURE;
    }
    const database = await openConfiguredDatabase();
    const runner = startConfiguredRunner(database, io.err);
    io.out(`runner started (${database.kind}); Ctrl-C stops it`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await runner.stop();
    await database.close();
    io.out("runner stopped");
    return EXIT_OK;
  },
};
