"use server";

import { revalidatePath } from "next/cache";
import { formatMoney } from "@/lib/billing/money";
import { DEFAULT_LOCALE } from "@/lib/i18n/locales";
import { customerTranslator, openSignedLink } from "@/lib/mypage/signed-link-context";
import { ServiceError } from "@/lib/services/errors";
import { getInvoice } from "@/lib/services/queries/invoices";
import { updateCardFromLink } from "@/lib/services/update-card-from-link";

/**
 * What the card page shows after a submission; messages are in the customer's language, never a raw error.
 * `challenge` asks the customer to authenticate (3-D Secure) at the issuer's page; `cardRefused` asks for the card again.
 */
export type CardFormState =
  | { status: "idle" }
  | { status: "done"; title: string; lines: string[] }
  | { status: "challenge"; actionUrl: string }
  | { status: "error"; message: string; cardRefused?: boolean };

/** Declines whose reason helps the customer; the rest (lost, stolen, fraud suspected, …) get the issuer's plain "no". */
const EXPLAINED_DECLINES = new Set(["insufficient_funds", "expired_card", "incorrect_cvc", "authentication_required"]);

/**
 * The signed-link realm's server action: a public POST endpoint, so the link is verified again (it may have expired
 * while the page was open) and the service checks that the contract is the link's customer's. It receives only the
 * gateway's one-time card token (hosted fields), never a card number.
 */
export async function submitCard(linkToken: unknown, cardToken: unknown): Promise<CardFormState> {
  const opened = await openSignedLink("card_update", typeof linkToken === "string" ? linkToken : "");
  if (!opened.ok) {
    const t = customerTranslator(DEFAULT_LOCALE, "cardUpdate");
    return { status: "error", message: t(opened.reason === "expired" ? "link.expiredTitle" : "link.invalidTitle") };
  }
  const { ctx, locale } = opened;
  const t = customerTranslator(locale, "cardUpdate");
  if (typeof cardToken !== "string" || !cardToken) return { status: "error", message: t("errors.card") };
  try {
    const result = await updateCardFromLink(ctx, { subscriptionId: opened.subjectId, token: cardToken });
    revalidatePath("/mypage/card");
    return {
      status: "done",
      title: t("done.title"),
      lines: [
        t("done.card", { brand: result.card.brand.toUpperCase(), last4: result.card.last4 }),
        result.paid ? t("done.paid", { amount: formatMoney(result.paid) }) : t("done.nothingOwed"),
        t("done.status", { status: t(`status.${result.status}`) }),
      ],
    };
  } catch (error) {
    if (!(error instanceof ServiceError)) {
      console.error("mypage: card update failed", error);
      return { status: "error", message: t("errors.generic") };
    }
    if (error.code === "payment_declined" && error.details.reason === "authentication_required" && error.details.actionUrl) {
      return { status: "challenge", actionUrl: error.details.actionUrl };
    }
    if (error.code === "payment_declined") {
      const code = error.details.declineCode ?? error.details.reason ?? "";
      if (!error.details.invoiceId) {
        if (code === "authentication_failed") return { status: "error", message: t("errors.authenticationFailed"), cardRefused: true };
        const reason = t(EXPLAINED_DECLINES.has(code) ? (`errors.decline.${code}` as "errors.decline.generic") : "errors.decline.generic");
        return { status: "error", message: t("errors.declinedAtSave", { reason }), cardRefused: true };
      }
      const reason = t(EXPLAINED_DECLINES.has(code) ? (`errors.decline.${code}` as "errors.decline.generic") : "errors.decline.generic");
      const invoice = await getInvoice(ctx, error.details.invoiceId).catch(() => null);
      revalidatePath("/mypage/card");
      return {
        status: "error",
        cardRefused: true,
        message: invoice ? t("errors.declinedAtCharge", { amount: formatMoney({ amount: invoice.total, currency: invoice.currency }), reason }) : t("errors.declinedAtChargeNoAmount", { reason }),
      };
    }
    if (error.code === "invalid" && error.details.param === "token") return { status: "error", message: t("errors.cardToken"), cardRefused: true };
    if (error.code === "conflict" && error.details.reason === "contract_ended") return { status: "error", message: t("errors.ended") };
    if (error.code === "not_found") return { status: "error", message: t("link.invalidTitle") };
    if (error.code === "unavailable") return { status: "error", message: t("errors.unavailable") };
    return { status: "error", message: t("errors.generic") };
  }
}
