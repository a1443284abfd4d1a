import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { checkoutLinks, plans } from "@/db/schema";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

/** An absolute http(s) URL: where a customer is sent, so nothing that runs script (javascript:, data:). */
export const webUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: "an http(s) URL" }));

export const createCheckoutLinkInput = z.object({
  planId: z.string().min(1),
  successUrl: webUrl.nullish(),
  collect: z.object({ phone: z.boolean().default(false), address: z.boolean().default(false) }).default({ phone: false, address: false }),
});

/** A hosted checkout link for an active plan of the merchant. */
export async function createCheckoutLink(ctx: ServiceContext, input: z.input<typeof createCheckoutLinkInput>) {
  const data = parseInput(createCheckoutLinkInput, input);
  authorize(ctx.actor, "checkout_links.manage");
  return ctx.db.transaction(async (tx) => {
    const [plan] = await tx.select({ id: plans.id, active: plans.active }).from(plans).where(and(eq(plans.id, data.planId), eq(plans.merchantId, ctx.merchantId)));
    if (!plan || !plan.active) throw notFound("plan", data.planId, "plan");
    const now = ctx.clock.now();
    const [link] = await tx
      .insert(checkoutLinks)
      .values({ id: newId("chk"), merchantId: ctx.merchantId, planId: plan.id, successUrl: data.successUrl ?? null, collect: data.collect, createdAt: now })
      .returning();
    await recordAudit(tx, ctx, { action: "checkout_link.created", targetType: "checkout_link", targetId: link!.id, data: { plan: plan.id }, at: now });
    return link!;
  });
}
