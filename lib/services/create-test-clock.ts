import { z } from "zod";
import { testClocks } from "@/db/schema";
import { newId } from "@/lib/ids";
import { recordAudit } from "./internal/audit";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";

export const createTestClockInput = z.object({
  frozenTime: z.coerce.date(),
  name: z.string().trim().max(200).nullish(),
});

export async function createTestClock(ctx: ServiceContext, input: z.input<typeof createTestClockInput>) {
  const data = parseInput(createTestClockInput, input);
  authorize(ctx.actor, "test_clocks.operate");
  return ctx.db.transaction(async (tx) => {
    const [clock] = await tx.insert(testClocks).values({ id: newId("clock"), merchantId: ctx.merchantId, name: data.name ?? null, frozenTime: data.frozenTime }).returning();
    await recordAudit(tx, ctx, { action: "test_clock.created", targetType: "test_clock", targetId: clock!.id, at: ctx.clock.now() });
    return clock!;
  });
}
