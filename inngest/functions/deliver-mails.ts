import { cron } from "inngest";
import { env } from "@/lib/env";
import { mailReceipts } from "@/lib/platform";
import { MAIL_CONCURRENCY } from "@/lib/runner/mail-delivery-runner";
import { deliverMails, type DeliveryPass } from "@/lib/services/deliver-mails";
import { inngest, mailQueued } from "../client";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** Passes per run: each step is one request to this server, a pass at most a few provider requests. */
const MAX_PASSES = 50;
const LEASE_SECONDS = 120;

/**
 * The delivery worker when Inngest drives the work (the embedded runner does not run then): every minute, or at once
 * on `keizoku/mail.queued`, steps that each deliver one pass of due mails (deliverMails: leased rows, a batch sent
 * again as the same request after a crash) until a pass comes back short. One run at a time; a second event while it
 * runs is folded into the next run.
 */
export const createDeliverMails = (runContext: RunContextSource = configuredRunContext) =>
  inngest.createFunction(
    { id: "deliver-mails", triggers: [cron("* * * * *"), { event: mailQueued }], concurrency: [{ limit: 1 }] },
    async ({ step }) => {
      const e = env();
      const limit = e.KEIZOKU_MAIL_BATCH * MAIL_CONCURRENCY;
      const passes: DeliveryPass[] = [];
      for (let i = 0; i < MAX_PASSES; i++) {
        const pass = await step.run(`deliver-${i}`, async () =>
          deliverMails(await runContext(), {
            limit,
            batchSize: e.KEIZOKU_MAIL_BATCH,
            concurrency: MAIL_CONCURRENCY,
            leaseSeconds: LEASE_SECONDS,
            mailFrom: e.KEIZOKU_MAIL_FROM,
            receiptFor: mailReceipts,
          }),
        );
        passes.push(pass);
        if (pass.claimed < limit) break;
      }
      return { passes: passes.length, sent: passes.reduce((n, p) => n + p.sent, 0) };
    },
  );
