"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { createSavedSearch } from "@/lib/services/create-saved-search";
import { deleteSavedSearch } from "@/lib/services/delete-saved-search";
import { renameSavedSearch } from "@/lib/services/rename-saved-search";
import { updateSavedSearch } from "@/lib/services/update-saved-search";

/**
 * Saved searches from the workspace. Each is a public POST endpoint: staffAction builds the context from the session,
 * and the service validates the input and refuses viewers itself.
 */
const revalidate = ["/console/subscriptions"];

export async function createSavedSearchAction(input: { name: string; search: unknown }): Promise<ActionResult<{ id: string; name: string }>> {
  return staffAction(async (ctx) => {
    const row = await createSavedSearch(ctx, input as Parameters<typeof createSavedSearch>[1]);
    return { id: row.id, name: row.name };
  }, { revalidate });
}

export async function renameSavedSearchAction(input: { id: string; name: string }): Promise<ActionResult<{ name: string }>> {
  return staffAction(async (ctx) => ({ name: (await renameSavedSearch(ctx, input)).name }), { revalidate });
}

export async function updateSavedSearchAction(input: { id: string; search: unknown }): Promise<ActionResult<{ name: string }>> {
  return staffAction(async (ctx) => ({ name: (await updateSavedSearch(ctx, input as Parameters<typeof updateSavedSearch>[1])).name }), { revalidate });
}

export async function deleteSavedSearchAction(input: { id: string }): Promise<ActionResult<{ id: string }>> {
  return staffAction((ctx) => deleteSavedSearch(ctx, input), { revalidate });
}
