import { chargeAttempt, type PreparedCharge } from "./payment-attempts";
import type { ServiceContext } from "./context";
import { ServiceError } from "./errors";
import { settleCharge, type SettleResult } from "./settle-charge";

/**
 * Charges an attempt opened by a verb and settles it, for charges a person or a caller waits for. If the
 * gateway cannot be reached the attempt stays in flight; the next collection of the invoice replays it with
 * the same key, so nothing is charged twice.
 */
export async function chargeNow(ctx: ServiceContext, prepared: PreparedCharge, subscriptionId: string): Promise<SettleResult> {
  let result;
  try {
    result = await chargeAttempt(ctx.gateway, prepared);
  } catch (error) {
    throw new ServiceError("unavailable", `The payment gateway did not answer; the charge will be confirmed on the next attempt (${(error as Error).message})`, {
      reason: "gateway_unavailable",
    });
  }
  return settleCharge(ctx, prepared, result, { subscriptionId });
}
