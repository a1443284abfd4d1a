import { z } from "zod";
import { decidePause } from "@/lib/billing/decisions/pause";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";
import { contractFacts } from "./internal/contract";
import { accepted, onContract } from "./internal/contract-verb";
import { loadSubscription } from "./read-subscription";

export const pauseSubscriptionInput = z.object({
  subscriptionId: z.string().min(1),
  /** Un-pause by itself at this time; without it the contract stays paused until resumed. */
  resumeAt: z.coerce.date().nullish(),
});

/** Pauses collection (see decidePause); POST …/resume un-pauses. */
export async function pauseSubscription(ctx: ServiceContext, input: z.input<typeof pauseSubscriptionInput>) {
  const data = parseInput(pauseSubscriptionInput, input);
  await onContract(ctx, data.subscriptionId, "contracts.operate", async (_tx, contract, writer) => {
    writer.apply(contract, accepted(decidePause(contractFacts(contract), { resumeAt: data.resumeAt ?? null })));
  });
  return loadSubscription(ctx, data.subscriptionId);
}
