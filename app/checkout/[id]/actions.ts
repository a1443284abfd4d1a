"use server";

import { eq } from "drizzle-orm";
import { getTranslations } from "next-intl/server";
import { checkoutLinks } from "@/db/schema";
import { requestFingerprint, withIdempotencyKey } from "@/lib/api/idempotency";
import { getLocale } from "next-intl/server";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { type CheckoutCompleted, completeCheckout } from "@/lib/services/complete-checkout";
import { checkoutLinkContext } from "@/lib/services/contexts";
import { ServiceError } from "@/lib/services/errors";

export type CheckoutField = "name" | "email" | "phone" | "postalCode" | "prefecture" | "city" | "line1" | "password" | "consent" | "card";

export type CheckoutValues = {
  name: string;
  email: string;
  phone: string;
  postalCode: string;
  prefecture: string;
  city: string;
  line1: string;
  line2: string;
  password: string;
  consent: boolean;
};

export type CheckoutResult =
  | { ok: true; redirectTo: string }
  | { ok: false; message: string; field?: CheckoutField; cardRefused?: boolean; continuation?: string }
  | { ok: false; actionUrl: string; pendingCustomer?: string };

const FIELD_OF_PARAM: Record<string, CheckoutField> = {
  name: "name",
  email: "email",
  phone: "phone",
  "address.postalCode": "postalCode",
  "address.prefecture": "prefecture",
  "address.city": "city",
  "address.line1": "line1",
  address: "postalCode",
  password: "password",
  consent: "consent",
  token: "card",
};

/**
 * The checkout page's one action. `attempt` is the id the page was rendered with: the same attempt sent twice (a
 * double click, a retried request) runs once and gets the first answer (the REST API's idempotency store); a
 * refusal is not kept, so the customer can fix a field or try another card under the same attempt.
 */
export async function submitCheckout(
  linkId: string,
  attempt: string,
  token: string | null,
  values: CheckoutValues,
  /** A declined first charge's continuation: this card pays that sign-up. */
  continuation: string | null = null,
  /** A card waiting for 3-D Secure answered it: the card sent again is set up for that same customer. */
  pendingCustomer: string | null = null,
): Promise<CheckoutResult> {
  const t = await getTranslations("checkout.errors");
  if (!token) return { ok: false, message: t("card"), field: "card" };
  const platform = configuredPlatform(await getDatabase());
  const [link] = await platform.db.select({ merchantId: checkoutLinks.merchantId }).from(checkoutLinks).where(eq(checkoutLinks.id, linkId));
  if (!link) return { ok: false, message: t("unavailable") };
  const ctx = checkoutLinkContext(platform, { merchantId: link.merchantId, linkId });
  const locale = (await getLocale()) === "en" ? "en" : "ja";
  const input = {
    linkId,
    token,
    name: values.name,
    email: values.email,
    phone: values.phone.trim() ? values.phone : null,
    address: values.postalCode.trim() || values.city.trim() || values.line1.trim() || values.prefecture
      ? { postalCode: values.postalCode, prefecture: values.prefecture, city: values.city, line1: values.line1, line2: values.line2.trim() || undefined }
      : null,
    password: values.password ? values.password : null,
    consent: values.consent as true,
    locale,
    continuation,
    pendingCustomer,
  } as const;
  try {
    const { body } = await withIdempotencyKey(
      platform.db,
      { merchantId: link.merchantId, key: `checkout:${linkId}:${attempt}`.slice(0, 255), fingerprint: requestFingerprint("POST", `/checkout/${linkId}`, attempt), now: () => platform.clock.now() },
      async () => ({ status: 200, body: await completeCheckout(ctx, input) }),
    );
    const done = body as CheckoutCompleted;
    return { ok: true, redirectTo: done.successUrl ?? `/checkout/${linkId}/complete` };
  } catch (error) {
    if (!(error instanceof ServiceError)) {
      console.error("checkout failed", error);
      return { ok: false, message: t("generic") };
    }
    if (error.code === "payment_declined" && error.details.reason === "authentication_required" && error.details.actionUrl) return { ok: false, actionUrl: error.details.actionUrl, pendingCustomer: error.details.pendingCustomer };
    if (error.code === "payment_declined") {
      const message = error.details.declineCode === "authentication_failed" ? t("authenticationFailed") : t("declined");
      return { ok: false, message, field: "card", cardRefused: true, continuation: error.details.continuation ?? continuation ?? undefined };
    }
    if (error.code === "invalid" && error.details.param === "continuation") return { ok: false, message: t("continuationExpired") };
    if (error.code === "invalid") {
      const field = FIELD_OF_PARAM[error.details.param ?? ""];
      if (field) return { ok: false, message: t(field), field, cardRefused: field === "card" };
    }
    if (error.code === "not_found") return { ok: false, message: t("unavailable") };
    return { ok: false, message: t("generic") };
  }
}
