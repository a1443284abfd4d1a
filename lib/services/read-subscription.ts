import { and, eq } from "drizzle-orm";
import { subscriptions } from "@/db/schema";
import type { ServiceContext } from "./context";
import { notFound } from "./errors";

export async function loadSubscription(ctx: Pick<ServiceContext, "db" | "merchantId">, subscriptionId: string) {
  const [sub] = await ctx.db.select().from(subscriptions).where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.merchantId, ctx.merchantId)));
  if (!sub) throw notFound("subscription", subscriptionId, "subscription");
  return sub;
}
