import { desc, eq } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import type { ServiceContext } from "../context";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export type ApiKeyRow = { id: string; name: string | null; displayPrefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

/** The merchant's keys, newest first, revoked ones included (so that a merchant sees what was retired and when). Never the hash. */
export async function listApiKeys(ctx: ReadContext): Promise<ApiKeyRow[]> {
  return ctx.db
    .select({ id: apiKeys.id, name: apiKeys.name, displayPrefix: apiKeys.displayPrefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.merchantId, ctx.merchantId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}
