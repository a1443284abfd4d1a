import { and, eq } from "drizzle-orm";
import { createTranslator } from "next-intl";
import { cache } from "react";
import { customers, invoices, subscriptions } from "@/db/schema";
import { type LinkPurpose, type LinkRefusal, verifyLinkToken } from "@/lib/auth/signed-link";
import type { Locale } from "@/lib/i18n/locales";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import type { ServiceContext } from "@/lib/services/context";
import { endUserContext } from "@/lib/services/contexts";
import { MESSAGES } from "@/messages";

/** A signed link opened: the end user's context (their own contract or invoice only), what the link is for, their language. */
export type OpenedLink = { ok: true; ctx: ServiceContext; subjectId: string; locale: Locale } | { ok: false; reason: LinkRefusal };

/**
 * The signed-link realm's one way from a request to a service context (never the staff session): the token must be
 * ours, unexpired and of this page's purpose, and name a contract or invoice of its merchant; the context acts as that
 * contract's customer. A token whose subject is gone is as invalid as a forged one. Cached per request, so a layout,
 * its page and their metadata verify once.
 */
export const openSignedLink = cache(async (purpose: LinkPurpose, token: string): Promise<OpenedLink> => {
  const platform = configuredPlatform(await getDatabase());
  const verified = await verifyLinkToken(platform.links.secret, purpose, token, platform.clock.now());
  if (!verified.ok) return verified;
  const owner = purpose === "card_update" ? subscriptions : invoices;
  const [row] = await platform.db
    .select({ customerId: customers.id, locale: customers.locale })
    .from(owner)
    .innerJoin(customers, and(eq(customers.id, owner.customerId), eq(customers.merchantId, owner.merchantId)))
    .where(and(eq(owner.id, verified.subject), eq(owner.merchantId, verified.merchantId)));
  if (!row) return { ok: false, reason: "invalid" };
  return { ok: true, ctx: endUserContext(platform, { merchantId: verified.merchantId, customerId: row.customerId }), subjectId: verified.subject, locale: row.locale };
});

/**
 * Texts of the end-user pages in the customer's language. The request's next-intl config follows staff and the
 * visitor's cookie; these pages follow the customer the link was made for, so they translate explicitly.
 */
export function customerTranslator<N extends "cardUpdate" | "receipt" | "payment">(locale: Locale, namespace: N) {
  return createTranslator({ locale, messages: MESSAGES[locale], namespace });
}
