import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { apiKeys } from "@/db/schema";
import { generateSecretKey } from "@/lib/auth/api-key";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

export const createApiKeyInput = z.object({ name: z.string().trim().min(1, "name is required").max(100) });

/** A new secret key for the merchant. The key itself is returned once and never stored (only its sha256). */
export async function createApiKey(ctx: ServiceContext, input: z.input<typeof createApiKeyInput>): Promise<{ id: string; name: string; displayPrefix: string; secretKey: string }> {
  const data = parseInput(createApiKeyInput, input);
  authorize(ctx.actor, "api_keys.manage");
  const key = generateSecretKey();
  const id = newId("key");
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(apiKeys).values({ id, merchantId: ctx.merchantId, displayPrefix: key.displayPrefix, keyHash: key.keyHash, name: data.name, createdAt: now });
    await recordAudit(tx, ctx, { action: "api_key.created", targetType: "api_key", targetId: id, data: { name: data.name, prefix: key.displayPrefix }, at: now });
  });
  return { id, name: data.name, displayPrefix: key.displayPrefix, secretKey: key.secretKey };
}

export const revokeApiKeyInput = z.object({ apiKeyId: z.string().min(1) });

/**
 * Revokes a key: requests carrying it are refused from now on (authenticateApiKey reads revoked_at on every request).
 * Revoking a revoked key changes nothing. A key revoking itself through the API is allowed: it is the caller's choice.
 */
export async function revokeApiKey(ctx: ServiceContext, input: z.input<typeof revokeApiKeyInput>): Promise<{ id: string; revokedAt: Date }> {
  const data = parseInput(revokeApiKeyInput, input);
  authorize(ctx.actor, "api_keys.manage");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [key] = await tx
      .select({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, data.apiKeyId), eq(apiKeys.merchantId, ctx.merchantId)))
      .for("update");
    if (!key) throw notFound("API key", data.apiKeyId, "apiKeyId");
    if (key.revokedAt) return { id: key.id, revokedAt: key.revokedAt };
    await tx.update(apiKeys).set({ revokedAt: now }).where(and(eq(apiKeys.id, key.id), isNull(apiKeys.revokedAt)));
    await recordAudit(tx, ctx, { action: "api_key.revoked", targetType: "api_key", targetId: key.id, data: { name: key.name }, at: now });
    return { id: key.id, revokedAt: now };
  });
}
