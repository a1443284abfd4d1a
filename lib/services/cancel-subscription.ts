import { z } from "zod";
import { decideCancel } from "@/lib/billing/decisions/cancel";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";
import { contractFacts } from "./internal/contract";
import { accepted, onContract } from "./internal/contract-verb";
import { hasUnbilledUsage } from "./internal/usage";
import { loadSubscription } from "./read-subscription";

export const cancelSubscriptionInput = z.object({
  subscriptionId: z.string().min(1),
  /** Default: keep the contract until its paid-through date. Overdue and paused contracts end now. */
  atPeriodEnd: z.boolean().default(true),
  reason: z.string().trim().max(1000).nullish(),
});

/** Cancels a contract now or at its paid-through date (see decideCancel). */
export async function cancelSubscription(ctx: ServiceContext, input: z.input<typeof cancelSubscriptionInput>) {
  const data = parseInput(cancelSubscriptionInput, input);
  await onContract(ctx, data.subscriptionId, "contracts.operate", async (tx, contract, writer) => {
    const usage = contract.plan.usageRates.length > 0 && (await hasUnbilledUsage(tx, contract.sub.id, new Date(contract.now.getTime() + 1)));
    writer.apply(contract, accepted(decideCancel(contractFacts(contract), { atPeriodEnd: data.atPeriodEnd, reason: data.reason ?? null, hasUnbilledUsage: usage })));
  });
  return loadSubscription(ctx, data.subscriptionId);
}
