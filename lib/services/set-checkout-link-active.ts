import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { checkoutLinks, plans } from "@/db/schema";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

export const setCheckoutLinkActiveInput = z.object({ linkId: z.string().min(1), active: z.boolean() });

/**
 * Turns a checkout link off (its page answers 404 and nobody can sign up through it; contracts already made are not
 * touched) or on again. A link whose plan has been retired cannot be turned on. Setting what is already set is a no-op.
 */
export async function setCheckoutLinkActive(ctx: ServiceContext, input: z.input<typeof setCheckoutLinkActiveInput>) {
  const data = parseInput(setCheckoutLinkActiveInput, input);
  authorize(ctx.actor, "checkout_links.manage");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ link: checkoutLinks, planActive: plans.active })
      .from(checkoutLinks)
      .innerJoin(plans, eq(plans.id, checkoutLinks.planId))
      .where(and(eq(checkoutLinks.id, data.linkId), eq(checkoutLinks.merchantId, ctx.merchantId)))
      .for("update", { of: checkoutLinks });
    if (!row) throw notFound("checkout link", data.linkId, "link");
    if (row.link.active === data.active) return row.link;
    if (data.active && !row.planActive) throw conflict("The link's plan is no longer offered", "plan_inactive");
    const [link] = await tx.update(checkoutLinks).set({ active: data.active }).where(eq(checkoutLinks.id, row.link.id)).returning();
    await recordAudit(tx, ctx, { action: data.active ? "checkout_link.activated" : "checkout_link.deactivated", targetType: "checkout_link", targetId: row.link.id, at: ctx.clock.now() });
    return link!;
  });
}
