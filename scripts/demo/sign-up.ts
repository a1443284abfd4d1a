import type { ServiceContext } from "@/lib/services/context";
import { createSubscription } from "@/lib/services/create-subscription";
import { ServiceError } from "@/lib/services/errors";

/** A sign-up whose first charge may be declined on purpose: the contract stays incomplete, which the demo shows. */
export async function signUp(ctx: ServiceContext, customerId: string, planId: string, paymentMethodId?: string): Promise<string> {
  try {
    return (await createSubscription(ctx, { customerId, planId, paymentMethodId })).id;
  } catch (error) {
    if (error instanceof ServiceError && error.code === "payment_declined" && error.details.subscriptionId) return error.details.subscriptionId;
    throw error;
  }
}
