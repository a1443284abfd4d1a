import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { products } from "@/db/schema";
import { recordAudit } from "./internal/audit";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { createProductInput } from "./create-product";
import { notFound, parseInput } from "./errors";

/** What may change of a product: its words, and whether it is still offered. Each field left out stays as it is. */
export const updateProductInput = z.object({
  productId: z.string().min(1),
  name: createProductInput.shape.name.optional(),
  description: createProductInput.shape.description,
  active: z.boolean().optional(),
});

/**
 * Renames or re-describes a product, or archives it (no new checkout links or plans; contracts and links already made
 * keep running) and brings it back. The audit row keeps what changed, before and after.
 */
export async function updateProduct(ctx: ServiceContext, input: z.input<typeof updateProductInput>) {
  const data = parseInput(updateProductInput, input);
  authorize(ctx.actor, "catalogue.manage");
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(products)
      .where(and(eq(products.id, data.productId), eq(products.merchantId, ctx.merchantId)))
      .for("update");
    if (!before) throw notFound("product", data.productId, "productId");
    const change: Partial<Pick<typeof before, "name" | "description" | "active">> = {};
    if (data.name !== undefined && data.name !== before.name) change.name = data.name;
    // An emptied description is no description.
    const description = data.description === undefined ? undefined : data.description?.trim() || null;
    if (description !== undefined && description !== before.description) change.description = description;
    if (data.active !== undefined && data.active !== before.active) change.active = data.active;
    const keys = Object.keys(change) as (keyof typeof change)[];
    if (keys.length === 0) return before;
    const [after] = await tx.update(products).set(change).where(eq(products.id, before.id)).returning();
    const action = change.active === false ? "product.archived" : change.active === true ? "product.restored" : "product.updated";
    await recordAudit(tx, ctx, {
      action,
      targetType: "product",
      targetId: before.id,
      data: { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: change },
      at: ctx.clock.now(),
    });
    return after!;
  });
}
