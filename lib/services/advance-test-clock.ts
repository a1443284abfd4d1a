import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { testClocks } from "@/db/schema";
import { recordAudit } from "./audit";
import type { ServiceContext } from "./context";
import { conflict, invalid, notFound, parseInput } from "./errors";
import { runActionsInDueOrder } from "./run-actions-in-order";

export const advanceTestClockInput = z.object({
  testClockId: z.string().min(1),
  frozenTime: z.coerce.date(),
});

/**
 * Moves a test clock forward and runs, in due order and each at its own due time, everything its customers
 * had due up to the new time — through the same runDueAction the real scheduler uses.
 */
export async function advanceTestClock(ctx: ServiceContext, input: z.input<typeof advanceTestClockInput>) {
  const data = parseInput(advanceTestClockInput, input);
  const target = data.frozenTime;
  await ctx.db.transaction(async (tx) => {
    const [clock] = await tx.select().from(testClocks).where(and(eq(testClocks.id, data.testClockId), eq(testClocks.merchantId, ctx.merchantId))).for("update");
    if (!clock) throw notFound("test clock", data.testClockId, "test_clock");
    if (clock.status === "advancing") throw conflict("The test clock is already advancing", "clock_advancing");
    if (target.getTime() < clock.frozenTime.getTime()) throw invalid("A test clock only moves forward", "frozen_time");
    await tx.update(testClocks).set({ status: "advancing", targetTime: target }).where(eq(testClocks.id, clock.id));
    await recordAudit(tx, ctx, { action: "test_clock.advance", targetType: "test_clock", targetId: clock.id, data: { from: clock.frozenTime.toISOString(), to: target.toISOString() }, at: ctx.clock.now() });
  });
  try {
    await runActionsInDueOrder(ctx, { merchantId: ctx.merchantId, testClockId: data.testClockId }, target, async (dueAt) => {
      await ctx.db.update(testClocks).set({ frozenTime: dueAt }).where(eq(testClocks.id, data.testClockId));
    });
    await ctx.db.update(testClocks).set({ frozenTime: target, status: "ready", targetTime: null }).where(eq(testClocks.id, data.testClockId));
  } catch (error) {
    await ctx.db.update(testClocks).set({ status: "ready", targetTime: null }).where(eq(testClocks.id, data.testClockId));
    throw error;
  }
  const [clock] = await ctx.db.select().from(testClocks).where(eq(testClocks.id, data.testClockId));
  return clock!;
}
