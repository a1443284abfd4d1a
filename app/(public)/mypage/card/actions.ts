"use server";

import { revalidatePath } from "next/cache";
import { formatMoney } from "@/lib/billing/money";
import { DEFAULT_LOCALE } from "@/lib/i18n/locales";
import { customerTranslator, openSignedLink } from "@/lib/mypage/signed-link-context";
import { ServiceError } from "@/lib/services/errors";
import { getInvoice } from "@/lib/services/queries/invoices";
import { updateCardFromLink } from "@/lib/services/update-card-from-link";

export type CardField = "number" | "expMonth" | "expYear" | "cvc" | "name";

/** What the card form shows after a submission; messages are in the customer's language, never a raw error. */
export type CardFormState =
  | { status: "idle" }
  | { status: "done"; title: string; lines: string[] }
  | { status: "error"; message: string; field?: CardField };

const FIELDS: readonly CardField[] = ["number", "expMonth", "expYear", "cvc", "name"];
/** Declines whose reason helps the customer; the rest (lost, stolen, fraud suspected, …) get the issuer's plain "no". */
const EXPLAINED_DECLINES = new Set(["insufficient_funds", "expired_card", "incorrect_cvc", "authentication_required"]);

/**
 * The signed-link realm's server action: a public POST endpoint, so the link is verified again (it may have expired
 * while the form was open) and the service checks that the contract is the link's customer's.
 */
export async function submitCard(_previous: CardFormState, form: FormData): Promise<CardFormState> {
  const opened = await openSignedLink("card_update", String(form.get("token") ?? ""));
  if (!opened.ok) {
    const t = customerTranslator(DEFAULT_LOCALE, "cardUpdate");
    return { status: "error", message: t(opened.reason === "expired" ? "link.expiredTitle" : "link.invalidTitle") };
  }
  const { ctx, locale } = opened;
  const t = customerTranslator(locale, "cardUpdate");
  const field = (name: CardField) => String(form.get(name) ?? "");
  try {
    const result = await updateCardFromLink(ctx, {
      subscriptionId: opened.subjectId,
      card: { number: field("number"), expMonth: field("expMonth"), expYear: field("expYear"), cvc: field("cvc"), name: field("name") },
    });
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
    const param = error.details.param?.replace(/^card\./, "") as CardField | undefined;
    if (error.code === "invalid" && param && FIELDS.includes(param)) {
      return { status: "error", field: param, message: t(error.details.reason === "card_expired" ? "errors.field.expired" : `errors.field.${param}`) };
    }
    if (error.code === "payment_declined") {
      const code = error.details.declineCode ?? error.details.reason ?? "";
      const reason = t(EXPLAINED_DECLINES.has(code) ? (`errors.decline.${code}` as "errors.decline.generic") : "errors.decline.generic");
      if (!error.details.invoiceId) return { status: "error", field: "number", message: t("errors.declinedAtSave", { reason }) };
      const invoice = await getInvoice(ctx, error.details.invoiceId).catch(() => null);
      revalidatePath("/mypage/card");
      return {
        status: "error",
        field: "number",
        message: invoice ? t("errors.declinedAtCharge", { amount: formatMoney({ amount: invoice.total, currency: invoice.currency }), reason }) : t("errors.declinedAtChargeNoAmount", { reason }),
      };
    }
    if (error.code === "conflict" && error.details.reason === "contract_ended") return { status: "error", message: t("errors.ended") };
    if (error.code === "not_found") return { status: "error", message: t("link.invalidTitle") };
    if (error.code === "unavailable") return { status: "error", message: t("errors.unavailable") };
    return { status: "error", message: t("errors.generic") };
  }
}
