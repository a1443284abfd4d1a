import { and, asc, eq, lt } from "drizzle-orm";
import { invoices, paymentAttempts, paymentMethods } from "@/db/schema";
import { type Platform, SYSTEM_ACTOR } from "./context";
import { gatewayOf } from "./internal/payment-attempts";
import { settleCharges } from "./internal/settlement";

/** An attempt waits this long for its own answer (the gateway call times out well before) before the gateway is asked. */
export const UNANSWERED_AFTER_MS = 5 * 60_000;
const LIMIT = 200;

export type UnansweredCounts = { asked: number; settled: number; neverCharged: number; stillOpen: number };

/**
 * No blind retries: an attempt left in flight without an answer (a timeout, a crash between the call and its record;
 * "unknown" in the API) is looked up at its gateway by its idempotency key, and the gateway's answer is settled as
 * if it had come back at once — paid, or declined with what follows. An attempt the gateway never saw stays in
 * flight, and its next collection charges it with the same key; one still processing is asked again next time.
 * Gateways that cannot look up a charge are left to the replay of their key. Safe to run from several places.
 */
export async function resolveUnansweredAttempts(platform: Platform): Promise<UnansweredCounts> {
  const before = new Date(platform.clock.now().getTime() - UNANSWERED_AFTER_MS);
  const rows = await platform.db
    .select({ attempt: paymentAttempts, subscriptionId: invoices.subscriptionId, ref: paymentMethods.gatewayRef, gateway: paymentMethods.gateway })
    .from(paymentAttempts)
    .innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId))
    .innerJoin(paymentMethods, eq(paymentMethods.id, paymentAttempts.paymentMethodId))
    .where(and(eq(paymentAttempts.status, "pending"), lt(paymentAttempts.createdAt, before)))
    .orderBy(asc(paymentAttempts.createdAt))
    .limit(LIMIT);
  const counts: UnansweredCounts = { asked: 0, settled: 0, neverCharged: 0, stillOpen: 0 };
  const settleCtx = { ...platform, actor: SYSTEM_ACTOR };
  for (const { attempt, subscriptionId, ref, gateway: name } of rows) {
    const gateway = await gatewayOf(platform.gateways, attempt.merchantId, name);
    if (!gateway?.charges) continue;
    counts.asked++;
    let found;
    try {
      found = await gateway.charges.find({ idempotencyKey: attempt.idempotencyKey });
    } catch {
      // The gateway did not answer this time either: asked again on the next run.
      counts.stillOpen++;
      continue;
    }
    if (found.status === "not_found") counts.neverCharged++;
    else if (found.status === "in_progress") counts.stillOpen++;
    else {
      const [settled] = await settleCharges(settleCtx, [{ prepared: { attempt, card: { ref, gateway: name } }, result: found, subscriptionId }]);
      if (settled!.status !== "already_settled") counts.settled++;
    }
  }
  return counts;
}
