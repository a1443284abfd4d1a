import { InngestTestEngine } from "@inngest/test";
import { and, eq, sql } from "drizzle-orm";
import { type Database, openDatabase } from "@/db/client";
import { createDatabaseFromTemplate, openTestDatabase, scratchDatabaseName } from "@/test/support/database";
import { paymentAttempts, sandboxCharges } from "@/db/schema";
import type { ActionKind } from "@/lib/billing/scheduled-action";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import type { Clock } from "@/lib/services/context";
import type { ActionScheduledData } from "@/inngest/client";
import { createCardExpiryNotice } from "@/inngest/functions/card-expiry-notice";
import { createDispatchScheduledActions } from "@/inngest/functions/dispatch-scheduled-actions";
import { createDunning } from "@/inngest/functions/dunning";
import { createPaymentRetry } from "@/inngest/functions/payment-retry";
import { createRenewal } from "@/inngest/functions/renewal";
import { createTrialToCharge } from "@/inngest/functions/trial-to-charge";
import type { OutboxEvent } from "@/inngest/outbox-events";
import type { RunContextSource } from "@/inngest/run-context";
import { testPlatform } from "./platform";

/** A clock the test moves, shared by the services and the functions. */
export type SimClock = Clock & { set(at: Date): void };
export function simClock(start: Date): SimClock {
  let at = start.getTime();
  return { now: () => new Date(at), set: (to) => void (at = to.getTime()) };
}

export function testRunContext(database: Database, gateway: PaymentGateway, clock: Clock): RunContextSource {
  return async () => testPlatform(database.db, { gateway, clock });
}

type Flow = ReturnType<typeof createRenewal>;

/** Which function runs each kind of action (the `if` of its trigger, which @inngest/test does not evaluate). */
export function flowsByKind(runContext: RunContextSource): Record<ActionKind, { id: string; fn: Flow }> {
  const trial = { id: "trial-to-charge", fn: createTrialToCharge(runContext) };
  const renewal = { id: "renewal", fn: createRenewal(runContext) };
  const retry = { id: "payment-retry", fn: createPaymentRetry(runContext) };
  const dunning = { id: "dunning", fn: createDunning(runContext) };
  const card = { id: "card-expiry-notice", fn: createCardExpiryNotice(runContext) as unknown as Flow };
  return {
    trial_end: trial,
    trial_reminder: trial,
    renewal,
    period_end_cancel: renewal,
    final_invoice: renewal,
    unpause: renewal,
    retry,
    dunning_notice: dunning,
    atobarai_fallback: dunning,
    withdrawal: dunning,
    card_expiry_notice: card,
  };
}

/** Runs a per-action flow to its end with its sleep mocked (the sleep target is in ctx.step.sleepUntil.mock.calls). */
export async function executeFlow(fn: Flow, data: ActionScheduledData) {
  const t = new InngestTestEngine({ function: fn });
  const out = await t.execute({
    events: [{ name: "keizoku/action.scheduled", id: `${data.actionId}:${data.dueAt}`, data }],
    steps: [{ id: "wait-until-due", handler() {} }],
  });
  return {
    result: out.result as { actionId: string; outcome: string } | undefined,
    error: out.error,
    sleptUntil: out.ctx.step.sleepUntil.mock.calls.map((c) => [c[0], c[1]]),
    stepsRun: out.ctx.step.run.mock.calls.map((c) => c[0]),
  };
}

/** Runs the dispatcher once and returns the events it sent (sendEvent is mocked: nothing leaves the test). */
export async function executeDispatcher(runContext: RunContextSource) {
  const t = new InngestTestEngine({ function: createDispatchScheduledActions(runContext) });
  const out = await t.execute({
    events: [{ name: "keizoku/dispatch.requested", data: {} }],
    steps: Array.from({ length: 20 }, (_, i) => ({ id: `send-${i}`, handler: () => ({ ids: [] }) })),
  });
  if (out.error) throw out.error;
  const events = out.ctx.step.sendEvent.mock.calls.flatMap((c) => (Array.isArray(c[1]) ? c[1] : [c[1]])) as OutboxEvent[];
  return { events, result: out.result as { rows: number; events: number } };
}

/** Gateway charges made for a merchant's payment attempts: what "charged once" counts. */
export async function sandboxChargeCount(database: Database, merchantId: string): Promise<number> {
  const [row] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(sandboxCharges)
    .innerJoin(paymentAttempts, and(eq(paymentAttempts.idempotencyKey, sandboxCharges.idempotencyKey)))
    .where(eq(paymentAttempts.merchantId, merchantId));
  return row!.n;
}

/**
 * A database of this test file's own. The dispatcher, the reconcile cron and the card-expiry fan-out act on every
 * merchant's rows, and on PostgreSQL test files share one database: there they get a fresh copy of the run's migrated
 * template (dropped on close); PGlite is per file anyway.
 */
export async function openIsolatedTestDatabase(): Promise<Database> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) return openTestDatabase();
  const name = scratchDatabaseName("keizoku_inngest");
  const admin = await openDatabase({ url: baseUrl, max: 1 });
  const database = await openDatabase({ url: await createDatabaseFromTemplate(admin, baseUrl, name), max: 10 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.close();
    },
  };
}
