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
 * The first half of an advance: checks the move, locks the clock and marks it "advancing" towards the target.
 * Returns the clock as it is now (still at its old frozen time); completeTestClockAdvance does the work.
 */
export async function beginTestClockAdvance(ctx: ServiceContext, input: z.input<typeof advanceTestClockInput>) {
  const data = parseInput(advanceTestClockInput, input);
  const target = data.frozenTime;
  return ctx.db.transaction(async (tx) => {
    const [clock] = await tx.select().from(testClocks).where(and(eq(testClocks.id, data.testClockId), eq(testClocks.merchantId, ctx.merchantId))).for("update");
    if (!clock || clock.deleted) throw notFound("test clock", data.testClockId, "test_clock");
    if (clock.status === "advancing") throw conflict("The test clock is already advancing", "clock_advancing");
    if (target.getTime() < clock.frozenTime.getTime()) throw invalid("A test clock only moves forward", "frozen_time");
    const [advancing] = await tx.update(testClocks).set({ status: "advancing", targetTime: target }).where(eq(testClocks.id, clock.id)).returning();
    await recordAudit(tx, ctx, { action: "test_clock.advance", targetType: "test_clock", targetId: clock.id, data: { from: clock.frozenTime.toISOString(), to: target.toISOString() }, at: ctx.clock.now() });
    return advancing!;
  });
}

/**
 * The second half: runs, in due order and each at its own due time, everything the clock's customers had due
 * up to the target — through the same runDueAction the real scheduler uses — then stops the clock there, "ready".
 * On an error the clock is "ready" again at the last due time reached, and the error is rethrown.
 */
export async function completeTestClockAdvance(ctx: ServiceContext, testClockId: string) {
  const [clock] = await ctx.db.select().from(testClocks).where(and(eq(testClocks.id, testClockId), eq(testClocks.merchantId, ctx.merchantId)));
  if (!clock) throw notFound("test clock", testClockId, "test_clock");
  if (clock.status !== "advancing" || !clock.targetTime) throw conflict("The test clock is not advancing", "clock_not_advancing");
  const target = clock.targetTime;
  try {
    await runActionsInDueOrder(ctx, { merchantId: ctx.merchantId, testClockId: clock.id }, target, async (dueAt) => {
      await ctx.db.update(testClocks).set({ frozenTime: dueAt }).where(eq(testClocks.id, clock.id));
    });
    const [ready] = await ctx.db.update(testClocks).set({ frozenTime: target, status: "ready", targetTime: null }).where(eq(testClocks.id, clock.id)).returning();
    return ready!;
  } catch (error) {
    await ctx.db.update(testClocks).set({ status: "ready", targetTime: null }).where(eq(testClocks.id, clock.id));
    throw error;
  }
}

/** Moves a test clock forward and runs everything due up to the new time, all before it returns. */
export async function advanceTestClock(ctx: ServiceContext, input: z.input<typeof advanceTestClockInput>) {
  const clock = await beginTestClockAdvance(ctx, input);
  return completeTestClockAdvance(ctx, clock.id);
}
