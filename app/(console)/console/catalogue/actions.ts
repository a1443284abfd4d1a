"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { archivePlan } from "@/lib/services/archive-plan";
import { createPlan, type createPlanInput } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { updateProduct } from "@/lib/services/update-product";
import type { z } from "zod";

/*
 * 商品とプラン's server actions: public POST endpoints, each going through staffAction to one service, which validates
 * the input and checks the role (catalogue.manage) itself.
 */

const PAGE = "/console/catalogue";

export async function createProductAction(input: { name: string; description: string }): Promise<ActionResult<{ id: string }>> {
  return staffAction(async (ctx) => ({ id: (await createProduct(ctx, { name: input.name, description: input.description.trim() || null })).id }), { revalidate: [PAGE] });
}

export async function updateProductAction(input: { productId: string; name: string; description: string; active: boolean }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await updateProduct(ctx, input);
      return null;
    },
    { revalidate: [PAGE, "/console/checkout-links"] },
  );
}

export async function createPlanAction(input: z.input<typeof createPlanInput>): Promise<ActionResult<{ id: string }>> {
  return staffAction(async (ctx) => ({ id: (await createPlan(ctx, input)).id }), { revalidate: [PAGE, "/console/checkout-links"] });
}

export async function archivePlanAction(input: { planId: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await archivePlan(ctx, input);
      return null;
    },
    { revalidate: [PAGE, "/console/checkout-links"] },
  );
}
