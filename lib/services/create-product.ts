import { z } from "zod";
import { products } from "@/db/schema";
import { newId } from "@/lib/ids";
import { recordAudit } from "./internal/audit";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";

export const createProductInput = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullish(),
});

export async function createProduct(ctx: ServiceContext, input: z.input<typeof createProductInput>) {
  const data = parseInput(createProductInput, input);
  authorize(ctx.actor, "catalogue.manage");
  return ctx.db.transaction(async (tx) => {
    const [product] = await tx
      .insert(products)
      .values({ id: newId("prod"), merchantId: ctx.merchantId, name: data.name, description: data.description ?? null })
      .returning();
    await recordAudit(tx, ctx, { action: "product.created", targetType: "product", targetId: product!.id, at: ctx.clock.now() });
    return product!;
  });
}
