import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { customers } from "@/db/schema";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { insertPaymentMethod, setUpCard } from "./internal/card-setup";
import { customerNow } from "./internal/contract";

export const addPaymentMethodInput = z.object({
  customerId: z.string().min(1),
  /** The one-time token from the gateway's card form. */
  token: z.string().min(1).max(200),
  makeDefault: z.boolean().default(true),
});

/**
 * Saves a card from a gateway token at the deployment's primary gateway (the server never sees the number) and
 * plans its expiry notice for the 1st of the month it expires. A card the issuer refuses is payment_declined; one
 * that needs the customer to authenticate first (3-D Secure) is too, with reason `authentication_required` and the
 * gateway's challenge page as `actionUrl`: after the customer's answer there, the same token is sent again.
 */
export async function addPaymentMethod(ctx: ServiceContext, input: z.input<typeof addPaymentMethodInput>) {
  const data = parseInput(addPaymentMethodInput, input);
  const [customer] = await ctx.db.select().from(customers).where(and(eq(customers.id, data.customerId), eq(customers.merchantId, ctx.merchantId)));
  if (!customer) throw notFound("customer", data.customerId, "customer");
  authorize(ctx.actor, "contracts.operate", { customerId: customer.id, what: "customer", id: customer.id });
  const { gateway, card } = await setUpCard(ctx, { token: data.token, customer });
  return ctx.db.transaction(async (tx) => {
    const now = await customerNow(tx, customer.testClockId, ctx.clock);
    return insertPaymentMethod(tx, ctx, { customerId: customer.id, testClockId: customer.testClockId, gateway, card, makeDefault: data.makeDefault, now });
  });
}
