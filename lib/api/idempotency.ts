import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiIdempotencyKeys } from "@/db/schema";
import { ApiError } from "./errors";

const KEEP_MS = 24 * 3_600_000;
const LOCK_MS = 60_000;
const WAIT_FOR_FIRST_MS = 10_000;

export type StoredResponse = { status: number; body: unknown };

export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("hex");
}

/**
 * Runs a POST once per Idempotency-Key: a retry with the same body gets the first response back, a different
 * body under the same key is refused, and of two concurrent requests with one key only one executes (the
 * other waits for its answer). Server errors are not kept, so the caller can try again.
 */
export async function withIdempotencyKey(
  db: Db,
  input: { merchantId: string; key: string; fingerprint: string; now: () => Date },
  execute: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (input.key.length === 0 || input.key.length > 255) throw new ApiError(400, "idempotency_error", "idempotency_key_invalid", "Idempotency-Key must be 1 to 255 characters", null);
  const where = and(eq(apiIdempotencyKeys.merchantId, input.merchantId), eq(apiIdempotencyKeys.key, input.key));
  const deadline = input.now().getTime() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const now = input.now();
    await db.delete(apiIdempotencyKeys).where(and(where, lt(apiIdempotencyKeys.expiresAt, now)));
    const claimed = await db
      .insert(apiIdempotencyKeys)
      .values({ merchantId: input.merchantId, key: input.key, requestHash: input.fingerprint, status: "in_progress", lockedUntil: new Date(now.getTime() + LOCK_MS), expiresAt: new Date(now.getTime() + KEEP_MS) })
      .onConflictDoNothing()
      .returning({ key: apiIdempotencyKeys.key });
    if (claimed.length) return { ...(await executeAndKeep(db, where, execute)), replayed: false };
    const [existing] = await db.select().from(apiIdempotencyKeys).where(where);
    if (!existing) continue;
    if (existing.requestHash !== input.fingerprint) {
      throw new ApiError(409, "idempotency_error", "idempotency_key_reused", "This Idempotency-Key was already used with a different request body");
    }
    if (existing.status === "completed") return { status: existing.responseStatus!, body: existing.responseBody, replayed: true };
    // The first request died without an answer: this one takes its place.
    if (existing.lockedUntil! < now && (await takeOver(db, where, now))) return { ...(await executeAndKeep(db, where, execute)), replayed: false };
    if (now.getTime() > deadline) throw new ApiError(409, "idempotency_error", "idempotency_request_in_progress", "A request with this Idempotency-Key is still in progress; retry later");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function takeOver(db: Db, where: ReturnType<typeof and>, now: Date): Promise<boolean> {
  const taken = await db
    .update(apiIdempotencyKeys)
    .set({ lockedUntil: new Date(now.getTime() + LOCK_MS) })
    .where(and(where, eq(apiIdempotencyKeys.status, "in_progress"), lt(apiIdempotencyKeys.lockedUntil, now)))
    .returning({ key: apiIdempotencyKeys.key });
  return taken.length > 0;
}

async function executeAndKeep(db: Db, where: ReturnType<typeof and>, execute: () => Promise<StoredResponse>): Promise<StoredResponse> {
  let response: StoredResponse;
  try {
    response = await execute();
  } catch (error) {
    await db.delete(apiIdempotencyKeys).where(where);
    throw error;
  }
  if (response.status >= 500) await db.delete(apiIdempotencyKeys).where(where);
  else await db.update(apiIdempotencyKeys).set({ status: "completed", responseStatus: response.status, responseBody: response.body as object }).where(where);
  return response;
}
