import { sql } from "drizzle-orm";
import { z } from "zod";
import { stripeCredentials } from "@/db/schema";
import { credentialContext, STRIPE_CREDENTIALS, type StripeCredentialName } from "@/lib/gateways/stripe-accounts";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

const NAMES = Object.keys(STRIPE_CREDENTIALS) as [StripeCredentialName, ...StripeCredentialName[]];

export const setStripeCredentialInput = z
  .object({ name: z.enum(NAMES), value: z.string().trim().min(1).max(500) })
  .superRefine((input, issue) => {
    const { pattern, hint } = STRIPE_CREDENTIALS[input.name];
    if (!pattern.test(input.value)) issue.addIssue({ code: "custom", path: ["value"], message: `This does not look like a Stripe ${input.name} (${hint})` });
  });
export const clearStripeCredentialInput = z.object({ name: z.enum(NAMES) });

/**
 * Sets one of the merchant's Stripe keys, sealed. The audit log says which key was set and its last four
 * characters, never the key.
 */
export async function setStripeCredential(ctx: ServiceContext, input: z.input<typeof setStripeCredentialInput>) {
  const data = parseInput(setStripeCredentialInput, input);
  authorize(ctx.actor, "settings.manage");
  const spec = STRIPE_CREDENTIALS[data.name];
  const last4 = data.value.slice(-4);
  const values = { [spec.column]: ctx.secrets.seal(data.value, credentialContext(ctx.merchantId, data.name)), [spec.last4]: last4 };
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await tx
      .insert(stripeCredentials)
      .values({ merchantId: ctx.merchantId, ...values, updatedAt: now })
      .onConflictDoUpdate({ target: stripeCredentials.merchantId, set: { ...values, updatedAt: now } });
    await recordAudit(tx, ctx, { action: "stripe_credential.set", targetType: "merchant", targetId: ctx.merchantId, data: { credential: data.name, last4 }, at: now });
    return { name: data.name, last4 };
  });
}

/** Clears one of the merchant's Stripe keys; without a secret key its new cards go to the environment's account or the sandbox. */
export async function clearStripeCredential(ctx: ServiceContext, input: z.input<typeof clearStripeCredentialInput>) {
  const data = parseInput(clearStripeCredentialInput, input);
  authorize(ctx.actor, "settings.manage");
  const spec = STRIPE_CREDENTIALS[data.name];
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const cleared = await tx
      .update(stripeCredentials)
      .set({ [spec.column]: null, [spec.last4]: null, updatedAt: now })
      .where(sql`${stripeCredentials.merchantId} = ${ctx.merchantId} and ${stripeCredentials[spec.column]} is not null`)
      .returning({ merchantId: stripeCredentials.merchantId });
    // Clearing what is not set changes nothing and is not audited.
    if (cleared.length > 0) await recordAudit(tx, ctx, { action: "stripe_credential.cleared", targetType: "merchant", targetId: ctx.merchantId, data: { credential: data.name }, at: now });
    return { name: data.name, cleared: cleared.length > 0 };
  });
}
