"use server";

import { formatMoney } from "@/lib/billing/money";
import { DEFAULT_LOCALE } from "@/lib/i18n/locales";
import { paymentAuthenticationPath } from "@/lib/mail/links";
import { customerTranslator, openSignedLink } from "@/lib/mypage/signed-link-context";
import { completePaymentAuthentication, getPaymentAuthenticationView, startPaymentAuthentication } from "@/lib/services/complete-payment-authentication";
import { ServiceError } from "@/lib/services/errors";

/**
 * What the payment page shows after the customer acts, in their language: the issuer's challenge to show in a frame,
 * the issuer's page to go to, the payment done (or found done already), or why not.
 */
export type PaymentState =
  | { status: "idle" }
  | { status: "challenge"; actionUrl: string }
  | { status: "redirect"; actionUrl: string }
  | { status: "done"; title: string; text: string }
  | { status: "error"; message: string; final?: boolean };

/**
 * The signed-link realm's server actions: public POST endpoints, so the link is verified again (it may have expired
 * while the page was open) and the service checks that the invoice is the link's customer's.
 */
export async function startAuthentication(linkToken: unknown): Promise<PaymentState> {
  return act(linkToken, async (ctx, invoiceId, token) => {
    const step = await startPaymentAuthentication(ctx, { invoiceId, returnUrl: `${ctx.links.baseUrl}${paymentAuthenticationPath(token)}/return` });
    if (step.status !== "requires_action") return null;
    if ("clientSecret" in step) return "scriptRequired";
    return step.framed ? { status: "challenge", actionUrl: step.actionUrl } : { status: "redirect", actionUrl: step.actionUrl };
  });
}

/** The customer answered the challenge: the gateway is asked what became of the charge, and a success recorded. */
export async function completeAuthentication(linkToken: unknown): Promise<PaymentState> {
  return act(linkToken, async (ctx, invoiceId) => {
    await completePaymentAuthentication(ctx, { invoiceId });
    return null;
  });
}

type Opened = Extract<Awaited<ReturnType<typeof openSignedLink>>, { ok: true }>;

async function act(linkToken: unknown, work: (ctx: Opened["ctx"], invoiceId: string, token: string) => Promise<PaymentState | "scriptRequired" | null>): Promise<PaymentState> {
  const token = typeof linkToken === "string" ? linkToken : "";
  const opened = await openSignedLink("payment_authentication", token);
  if (!opened.ok) {
    const t = customerTranslator(DEFAULT_LOCALE, "payment");
    return { status: "error", message: t(opened.reason === "expired" ? "link.expiredTitle" : "link.invalidTitle"), final: true };
  }
  const { ctx, locale, subjectId: invoiceId } = opened;
  const t = customerTranslator(locale, "payment");
  try {
    const view = await getPaymentAuthenticationView(ctx, invoiceId);
    const outcome = await work(ctx, invoiceId, token);
    if (outcome === "scriptRequired") return { status: "error", message: t("errors.scriptRequired", { merchant: view.merchantName }), final: true };
    if (outcome) return outcome;
    return { status: "done", title: t("done.title"), text: t("done.text", { amount: formatMoney({ amount: view.amount, currency: view.currency }) }) };
  } catch (error) {
    return { status: "error", ...paymentErrorMessage(t, error) };
  }
}

/** A service error as the customer reads it; anything unexpected is logged and told plainly. */
function paymentErrorMessage(t: ReturnType<typeof customerTranslator<"payment">>, error: unknown): { message: string; final?: boolean } {
  if (!(error instanceof ServiceError)) {
    console.error("pay: payment authentication failed", error);
    return { message: t("errors.generic") };
  }
  if (error.code === "payment_declined") return { message: t("errors.notAuthenticated") };
  if (error.code === "unavailable") return { message: t(error.details.reason === "in_progress" ? "errors.inProgress" : "errors.unavailable") };
  if (error.code === "conflict") return { message: t(error.details.reason === "unavailable" ? "unavailable.text" : "ended.title"), final: true };
  if (error.code === "not_found") return { message: t("link.invalidTitle"), final: true };
  return { message: t("errors.generic") };
}
