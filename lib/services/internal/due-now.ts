import type { PlannedAction } from "@/lib/billing/effects";
import type { ServiceContext } from "../context";
import { runRound } from "./action-round";
import { cardDeclined } from "./collect";
import { dueActionsByKey } from "./scheduled-actions";

/**
 * Runs at once what a verb planned to happen at once (an un-paused contract's charge), through the same round the
 * runner uses, so that the person who pressed the button learns the outcome: a declined card is reported the one
 * way (payment_declined), with the contract as the rules left it (past due, retries planned).
 */
export async function runPlannedNow(ctx: ServiceContext, planned: readonly PlannedAction[], subscriptionId: string): Promise<void> {
  if (planned.length === 0) return;
  const until = new Date(Math.max(...planned.map((a) => a.dueAt.getTime())));
  const due = await dueActionsByKey(ctx.db, ctx.merchantId, planned.map((a) => a.key), until);
  for (const action of due) {
    const [outcome] = await runRound(ctx, [action], 1);
    if (outcome && "error" in outcome) throw outcome.error;
    const payment = outcome && "payment" in outcome ? outcome.payment : undefined;
    if (payment?.status === "failed") throw cardDeclined(payment.failureCode ?? "card_declined", payment.invoiceId, subscriptionId);
  }
}
