import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { hashSecretKey, looksLikeSecretKey } from "./api-key";

export type ApiPrincipal = { merchantId: string; apiKeyId: string };

const LAST_USED_RESOLUTION_MS = 60_000;

/** The merchant a secret key belongs to, or null for a malformed, unknown or revoked key. */
export async function authenticateApiKey(db: Db, secretKey: string, now: Date): Promise<ApiPrincipal | null> {
  if (!looksLikeSecretKey(secretKey)) return null;
  const [key] = await db
    .select({ id: apiKeys.id, merchantId: apiKeys.merchantId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashSecretKey(secretKey)), isNull(apiKeys.revokedAt)));
  if (!key) return null;
  // Kept to the minute, so a busy key does not write on every request.
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)))));
  return { merchantId: key.merchantId, apiKeyId: key.id };
}
