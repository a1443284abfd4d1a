"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { createCheckoutLink } from "@/lib/services/create-checkout-link";
import { setCheckoutLinkActive } from "@/lib/services/set-checkout-link-active";
import { updateTokushohoUrl } from "@/lib/services/update-tokushoho-url";

/*
 * The チェックアウトリンク page's server actions: public POST endpoints, each going through staffAction to one service,
 * which validates the input (http(s) URLs only) and checks the role itself.
 */

const PAGE = "/console/checkout-links";

export async function createCheckoutLinkAction(input: { planId: string; successUrl: string; collect: { phone: boolean; address: boolean } }): Promise<ActionResult<{ id: string }>> {
  return staffAction(
    async (ctx) => {
      // An empty field means Keizoku's own success page.
      const link = await createCheckoutLink(ctx, { planId: input.planId, successUrl: input.successUrl.trim() || null, collect: input.collect });
      return { id: link.id };
    },
    { revalidate: [PAGE] },
  );
}

export async function saveTokushohoUrlAction(input: { url: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await updateTokushohoUrl(ctx, { url: input.url.trim() || null });
      return null;
    },
    // The billing settings page shows the same URL.
    { revalidate: [PAGE, "/console/settings/billing"] },
  );
}

export async function setCheckoutLinkActiveAction(input: { linkId: string; active: boolean }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await setCheckoutLinkActive(ctx, { linkId: input.linkId, active: input.active });
      return null;
    },
    { revalidate: [PAGE] },
  );
}
