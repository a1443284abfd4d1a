import { z } from "zod";
import type { ServiceContext } from "../context";
import { parseInput, ServiceError } from "../errors";
import { pauseSubscription } from "../pause-subscription";
import { customerOf, mypagePolicyOf } from "../queries/my-contracts";

export const pauseMyContractInput = z.object({ subscriptionId: z.string().min(1) });

/** The mypage's pause, where the merchant allows it (mypage_policy.pause): until the customer resumes. */
export async function pauseMyContract(ctx: ServiceContext, input: z.input<typeof pauseMyContractInput>) {
  customerOf(ctx);
  const data = parseInput(pauseMyContractInput, input);
  if (!(await mypagePolicyOf(ctx)).pause) throw new ServiceError("forbidden", "This merchant does not let customers pause", { reason: "policy" });
  return pauseSubscription(ctx, { subscriptionId: data.subscriptionId });
}
