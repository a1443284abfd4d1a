import { z } from "zod";
import { MESSAGES } from "@/messages";
import { cancelSubscription } from "../cancel-subscription";
import type { ServiceContext } from "../context";
import { parseInput, ServiceError } from "../errors";
import { customerOf, mypagePolicyOf } from "../queries/my-contracts";

export const CANCEL_REASONS = ["price", "not_using", "dissatisfied", "switching", "temporary", "other"] as const;

export const cancelMyContractInput = z.object({
  subscriptionId: z.string().min(1),
  reason: z.enum(CANCEL_REASONS),
  /** The customer's own words, optional. */
  comment: z.string().trim().max(1000).default(""),
  /** Only where the merchant allows it (mypage_policy.cancel = immediate_allowed). */
  immediately: z.boolean().default(false),
});

/**
 * The mypage's cancel: the customer's own contract, at its paid-through date unless the merchant lets customers end
 * it at once. The reason is kept on the contract as the console shows it to staff: the chosen reason in Japanese (the
 * merchant's language; the console is Japanese first), then the customer's words — "利用する機会が減った：引っ越しのため".
 */
export async function cancelMyContract(ctx: ServiceContext, input: z.input<typeof cancelMyContractInput>) {
  customerOf(ctx);
  const data = parseInput(cancelMyContractInput, input);
  if (data.immediately && (await mypagePolicyOf(ctx)).cancel !== "immediate_allowed") {
    throw new ServiceError("forbidden", "This merchant's contracts end at their paid-through date", { reason: "policy", param: "immediately" });
  }
  const label = MESSAGES.ja.mypage.cancel.reasons[data.reason];
  const reason = data.comment ? `${label}：${data.comment}` : label;
  return cancelSubscription(ctx, { subscriptionId: data.subscriptionId, atPeriodEnd: !data.immediately, reason });
}
