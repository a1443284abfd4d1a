"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { createApiKey, revokeApiKey } from "@/lib/services/api-keys";

/* The API キー page's server actions: each goes through staffAction to one service, which checks the role itself. */

const PAGE = "/console/settings/api-keys";

/** Answers the new key's secret: the only time it leaves the server. */
export async function createApiKeyAction(input: { name: string }): Promise<ActionResult<{ id: string; secretKey: string }>> {
  return staffAction(
    async (ctx) => {
      const key = await createApiKey(ctx, { name: input.name });
      return { id: key.id, secretKey: key.secretKey };
    },
    { revalidate: [PAGE] },
  );
}

export async function revokeApiKeyAction(input: { apiKeyId: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await revokeApiKey(ctx, { apiKeyId: input.apiKeyId });
      return null;
    },
    { revalidate: [PAGE] },
  );
}
