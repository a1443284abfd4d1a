import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { customers } from "@/db/schema";
import type { ServiceContext } from "../context";
import { customerAddress } from "../create-customer";
import { parseInput } from "../errors";
import { recordAudit } from "../internal/audit";
import { customerOf } from "../queries/my-contracts";
import { issueCustomerToken } from "./mail-customer-token";

// Full-width digits and hyphens typed through an IME become ASCII (NFKC), as UI.md asks.
const nfkc = (s: string) => s.normalize("NFKC").trim();

export const updateMyProfileInput = z.object({
  name: z.string().transform(nfkc).pipe(z.string().min(1).max(200)),
  phone: z
    .string()
    .transform(nfkc)
    .pipe(z.string().regex(/^[0-9+\-() ]{0,20}$/)),
  /** The same address as checkout and the console keep; null clears it. */
  address: customerAddress.nullable(),
});

/** The customer's own name, phone and address (an email change goes through requestMyEmailChange). */
export async function updateMyProfile(ctx: ServiceContext, input: z.input<typeof updateMyProfileInput>) {
  const customerId = customerOf(ctx);
  const data = parseInput(updateMyProfileInput, input);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(customers)
      .set({ name: data.name, phone: data.phone || null, address: data.address })
      .where(and(eq(customers.id, customerId), eq(customers.merchantId, ctx.merchantId)));
    await recordAudit(tx, ctx, { action: "customer.profile_updated", targetType: "customer", targetId: customerId, at: ctx.clock.now() });
  });
}

export const requestMyEmailChangeInput = z.object({ email: z.string().trim().toLowerCase().email().max(320) });

/** An email change waits for the new address to confirm (a link mailed there, good for 24 hours). */
export async function requestMyEmailChange(ctx: ServiceContext, input: z.input<typeof requestMyEmailChangeInput>) {
  const customerId = customerOf(ctx);
  const data = parseInput(requestMyEmailChangeInput, input);
  const [customer] = await ctx.db.select().from(customers).where(and(eq(customers.id, customerId), eq(customers.merchantId, ctx.merchantId)));
  await issueCustomerToken(ctx.db, ctx, customer!, "email_change", ctx.clock.now(), { to: data.email, newEmail: data.email });
}
