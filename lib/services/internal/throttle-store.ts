import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInThrottles } from "@/db/schema";
import { afterFailure, attemptAllowed, type ThrottleCounter, type ThrottleRule } from "@/lib/auth/sign-in-throttle";

/** Throttle keys and their rules, e.g. [["email:a@b", EMAIL_RULE], ["ip:1.2.3.4", ADDRESS_RULE]]. */
export type ThrottleKeys = [string, ThrottleRule][];

/** Whether every key may try now (lib/auth/sign-in-throttle.ts holds the rules; sign_in_throttles the counters). */
export async function throttleAllows(db: Db, keys: ThrottleKeys, now: Date): Promise<boolean> {
  const counters = new Map((await db.select().from(signInThrottles).where(inArray(signInThrottles.key, keys.map(([key]) => key)))).map((row) => [row.key, row as ThrottleCounter]));
  return keys.every(([key, rule]) => attemptAllowed(counters.get(key) ?? null, rule, now).allowed);
}

/** Counts a failure on each key; the rows are locked so that concurrent failures all count. */
export async function recordThrottleFailure(db: Db, keys: ThrottleKeys, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [key, rule] of keys) {
      await tx.insert(signInThrottles).values({ key, failures: 0, firstFailedAt: now, lastFailedAt: now }).onConflictDoNothing();
      const [row] = await tx.select().from(signInThrottles).where(eq(signInThrottles.key, key)).for("update");
      const next = afterFailure(row!.failures === 0 ? null : row!, rule, now);
      await tx.update(signInThrottles).set(next).where(eq(signInThrottles.key, key));
    }
  });
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.key, key));
}
