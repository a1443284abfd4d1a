import { and, eq } from "drizzle-orm";
import { customers } from "@/db/schema";
import type { ServiceContext } from "../context";
import type { CustomerAddress } from "../create-customer";
import { customerOf } from "./my-contracts";

/** The signed-in customer's own details, as the profile form starts from them. */
export async function getMyProfile(ctx: ServiceContext) {
  const customerId = customerOf(ctx);
  const [me] = await ctx.db.select().from(customers).where(and(eq(customers.id, customerId), eq(customers.merchantId, ctx.merchantId)));
  const address: Partial<CustomerAddress> = me?.address ?? {};
  return {
    name: me?.name ?? "",
    email: me?.email ?? "",
    phone: me?.phone ?? "",
    address: { postalCode: address.postalCode ?? "", prefecture: address.prefecture ?? "", city: address.city ?? "", line1: address.line1 ?? "", line2: address.line2 ?? "" },
  };
}
