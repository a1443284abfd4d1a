import { and, eq, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { testClocks } from "@/db/schema";
import { authorize } from "./authorize";
import type { Platform, ServiceContext } from "./context";
import { conflict, invalid, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";
import { atobaraiTermsOf, nextAtobaraiStepAt, runAtobaraiOnClock } from "./atobarai-on-test-clock";
import { nextDueAction } from "./internal/scheduled-actions";
import { runActionsInDueOrder } from "./run-due-actions";

export const advanceTestClockInput = z.object({
  testClockId: z.string().min(1),
  frozenTime: z.coerce.date(),
});

/** How long an advancing process holds its clock without showing progress; after that another may take over. */
export const ADVANCE_LEASE_MS = 60_000;

type ClockRow = typeof testClocks.$inferSelect;

/**
 * The first half of an advance: checks the move, locks the clock and marks it "advancing" towards the target.
 * An advance left behind by a crash (its lease ran out) is taken over: the clock heads for the later of the two
 * targets. Returns the clock as it is now (still at its old frozen time); completeTestClockAdvance does the work.
 */
export async function beginTestClockAdvance(ctx: ServiceContext, input: z.input<typeof advanceTestClockInput>) {
  const data = parseInput(advanceTestClockInput, input);
  authorize(ctx.actor, "test_clocks.operate");
  const target = data.frozenTime;
  return ctx.db.transaction(async (tx) => {
    const [clock] = await tx.select().from(testClocks).where(and(eq(testClocks.id, data.testClockId), eq(testClocks.merchantId, ctx.merchantId))).for("update");
    if (!clock || clock.deleted) throw notFound("test clock", data.testClockId, "test_clock");
    const now = ctx.clock.now();
    const stale = clock.status === "advancing" && !holdsLease(clock, now);
    if (clock.status === "advancing" && !stale) throw conflict("The test clock is already advancing", "clock_advancing");
    if (target.getTime() < clock.frozenTime.getTime()) throw invalid("A test clock only moves forward", "frozen_time");
    const heading = stale && clock.targetTime && clock.targetTime > target ? clock.targetTime : target;
    // The caller holds the advance from now: completeTestClockAdvance renews the lease at every step.
    const [advancing] = await tx.update(testClocks).set({ status: "advancing", targetTime: heading, advanceLeaseUntil: leaseEnd(now), lastAdvanceError: null }).where(eq(testClocks.id, clock.id)).returning();
    await recordAudit(tx, ctx, {
      action: "test_clock.advance",
      targetType: "test_clock",
      targetId: clock.id,
      data: { from: clock.frozenTime.toISOString(), to: heading.toISOString(), ...(stale ? { tookOver: clock.targetTime?.toISOString() } : {}) },
      at: now,
    });
    return advancing!;
  });
}

function holdsLease(clock: ClockRow, now: Date): boolean {
  return clock.advanceLeaseUntil !== null && clock.advanceLeaseUntil.getTime() > now.getTime();
}

/**
 * The second half, by the process that holds the clock's advance lease (it began the advance, or took over an
 * abandoned one): runs, in due order and each at its own due time, everything the clock's customers had due up to
 * the target — through the same runDueAction the real scheduler uses — and the 後払い passes for the clock's orders
 * (atobarai-on-test-clock.ts), then stops the clock there, "ready". The lease is renewed at every step, so a crashed advance can be finished by another process once it runs out. On an
 * error the clock is "ready" again at the last due time reached, with the error's message kept as its
 * lastAdvanceError, and the error is rethrown.
 */
export async function completeTestClockAdvance(ctx: Pick<ServiceContext, keyof Platform | "merchantId">, testClockId: string) {
  const [clock] = await ctx.db.select().from(testClocks).where(and(eq(testClocks.id, testClockId), eq(testClocks.merchantId, ctx.merchantId)));
  if (!clock) throw notFound("test clock", testClockId, "test_clock");
  if (clock.status !== "advancing" || !clock.targetTime) throw conflict("The test clock is not advancing", "clock_not_advancing");
  const target = clock.targetTime;
  const moveTo = async (at: Date) => {
    await ctx.db.update(testClocks).set({ frozenTime: at, advanceLeaseUntil: leaseEnd(ctx.clock.now()) }).where(eq(testClocks.id, clock.id));
  };
  try {
    const scope = { merchantId: ctx.merchantId, testClockId: clock.id };
    const atobarai = await atobaraiTermsOf(ctx.db, ctx.merchantId);
    if (!atobarai) await runActionsInDueOrder(ctx, scope, target, moveTo);
    else {
      // The clock stops at each due action and on each day a 後払い step falls on, and the 後払い passes run at every
      // stop (so an order an action starts, a card's fallback invoice, is taken from there).
      let clockTime = clock.frozenTime;
      for (;;) {
        const nextAction = (await nextDueAction(ctx.db, scope, target))?.dueAt;
        const nextStep = await nextAtobaraiStepAt(ctx.db, scope, atobarai, target);
        const ahead = [nextAction, nextStep].filter((t): t is Date => t != null && t.getTime() > clockTime.getTime());
        const stop = new Date(Math.min(target.getTime(), ...ahead.map((t) => t.getTime())));
        await runActionsInDueOrder(ctx, scope, stop, moveTo);
        await moveTo(stop);
        await runAtobaraiOnClock(ctx, scope, stop);
        clockTime = stop;
        if (stop.getTime() >= target.getTime()) break;
      }
    }
    const [ready] = await ctx.db.update(testClocks).set({ frozenTime: target, status: "ready", targetTime: null, advanceLeaseUntil: null }).where(eq(testClocks.id, clock.id)).returning();
    return ready!;
  } catch (error) {
    // Said on the clock, so that whoever started the advance (the console, an API client polling) learns why it stopped.
    const reason = rootCause(error).slice(0, 500);
    await ctx.db.update(testClocks).set({ status: "ready", targetTime: null, advanceLeaseUntil: null, lastAdvanceError: reason }).where(eq(testClocks.id, clock.id));
    throw error;
  }
}

/** The innermost cause's message: a failed query's own text (its SQL and parameters) is no reason to show anyone. */
function rootCause(error: unknown): string {
  return error instanceof Error && error.cause !== undefined ? rootCause(error.cause) : error instanceof Error ? error.message : String(error);
}

const leaseEnd = (now: Date) => new Date(now.getTime() + ADVANCE_LEASE_MS);

/** Takes the clock's advance lease if nobody holds it. */
async function takeLease(db: Db, clockId: string, now: Date): Promise<boolean> {
  const taken = await db
    .update(testClocks)
    .set({ advanceLeaseUntil: leaseEnd(now) })
    .where(and(eq(testClocks.id, clockId), eq(testClocks.status, "advancing"), or(isNull(testClocks.advanceLeaseUntil), lt(testClocks.advanceLeaseUntil, now))))
    .returning({ id: testClocks.id });
  return taken.length > 0;
}

/** Moves a test clock forward and runs everything due up to the new time, all before it returns. */
export async function advanceTestClock(ctx: ServiceContext, input: z.input<typeof advanceTestClockInput>) {
  const clock = await beginTestClockAdvance(ctx, input);
  return completeTestClockAdvance(ctx, clock.id);
}

/**
 * Finishes the advances a crash left behind (status advancing, nobody holding the lease): the runner calls this on
 * every pass, so a clock is never stuck "advancing". Returns how many it finished.
 */
export async function finishAbandonedClockAdvances(platform: Platform, limit = 10): Promise<number> {
  const now = platform.clock.now();
  const abandoned = await platform.db
    .select({ id: testClocks.id, merchantId: testClocks.merchantId })
    .from(testClocks)
    .where(and(eq(testClocks.status, "advancing"), or(isNull(testClocks.advanceLeaseUntil), lt(testClocks.advanceLeaseUntil, now))))
    .limit(limit);
  let finished = 0;
  for (const clock of abandoned) {
    if (!(await takeLease(platform.db, clock.id, now))) continue;
    try {
      await completeTestClockAdvance({ ...platform, merchantId: clock.merchantId }, clock.id);
      finished++;
    } catch {
      // Another process took it first, or an action failed (the clock is "ready" again): nothing is stuck either way.
    }
  }
  return finished;
}
