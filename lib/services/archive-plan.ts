import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { plans } from "@/db/schema";
import { recordAudit } from "./internal/audit";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";

export const archivePlanInput = z.object({ planId: z.string().min(1) });

/**
 * Retires a plan: nobody new can sign up to it (its checkout links stop answering), while the contracts already on it
 * keep their price and cycle. There is no way back: a price is offered again by making a new plan. Archiving an
 * archived plan is a no-op.
 */
export async function archivePlan(ctx: ServiceContext, input: z.input<typeof archivePlanInput>) {
  const data = parseInput(archivePlanInput, input);
  authorize(ctx.actor, "catalogue.manage");
  return ctx.db.transaction(async (tx) => {
    const [plan] = await tx
      .select()
      .from(plans)
      .where(and(eq(plans.id, data.planId), eq(plans.merchantId, ctx.merchantId)))
      .for("update");
    if (!plan) throw notFound("plan", data.planId, "planId");
    if (!plan.active) return plan;
    const [archived] = await tx.update(plans).set({ active: false }).where(eq(plans.id, plan.id)).returning();
    await recordAudit(tx, ctx, { action: "plan.archived", targetType: "plan", targetId: plan.id, at: ctx.clock.now() });
    return archived!;
  });
}
