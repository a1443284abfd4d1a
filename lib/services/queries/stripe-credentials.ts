import { eq } from "drizzle-orm";
import { stripeCredentials } from "@/db/schema";
import { STRIPE_CREDENTIALS, type StripeCredentialName } from "@/lib/gateways/stripe-accounts";
import type { ServiceContext } from "../context";

export type StripeCredentialsView = Record<StripeCredentialName, { last4: string } | null>;

/** Which of the merchant's keys are set, by their last four characters: nothing is opened. */
export async function getStripeCredentialsView(ctx: Pick<ServiceContext, "db" | "merchantId">): Promise<StripeCredentialsView> {
  const [row] = await ctx.db.select().from(stripeCredentials).where(eq(stripeCredentials.merchantId, ctx.merchantId));
  const view = {} as StripeCredentialsView;
  for (const name of Object.keys(STRIPE_CREDENTIALS) as StripeCredentialName[]) {
    const last4 = row?.[STRIPE_CREDENTIALS[name].last4];
    view[name] = row?.[STRIPE_CREDENTIALS[name].column] && last4 ? { last4 } : null;
  }
  return view;
}
