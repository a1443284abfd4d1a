import { revalidatePath } from "next/cache";
import type { Locale } from "@/lib/i18n/locales";
import type { ServiceContext } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { customerSession, mypageTranslator, visitorLocale } from "./customer-context";
import { mypagePath } from "./urls";

/** What a mypage form shows after a submission: a message in the customer's language, never a raw error. */
export type MypageFormState = { status: "idle" } | { status: "done"; message: string } | { status: "error"; message: string; field?: string };

type Translator = ReturnType<typeof mypageTranslator>;

/**
 * The mypage realm's server action: a public POST endpoint, so the session is read again, the service does the
 * authorization (their own contracts only), and a ServiceError becomes a message; then the mypage is revalidated.
 */
export async function mypageAction(merchantId: string, run: (ctx: ServiceContext, t: Translator, locale: Locale) => Promise<string>): Promise<MypageFormState> {
  const signedIn = await customerSession(merchantId);
  if (!signedIn) return { status: "error", message: mypageTranslator(await visitorLocale())("errors.signedOut") };
  const t = mypageTranslator(signedIn.locale);
  try {
    const message = await run(signedIn.ctx, t, signedIn.locale);
    revalidatePath(mypagePath(merchantId), "layout");
    return { status: "done", message };
  } catch (error) {
    if (!(error instanceof ServiceError)) {
      console.error("mypage: action failed", error);
      return { status: "error", message: t("errors.generic") };
    }
    const field = typeof error.details.param === "string" ? error.details.param : undefined;
    switch (error.code) {
      case "invalid":
        // The field is named where the form has one of that name ("address.city" reads as 市区町村・町名).
        return { status: "error", message: field && t.has(`fields.${field}` as "fields.name") ? t("errors.invalidField", { field: t(`fields.${field}` as "fields.name") }) : t("errors.invalid"), field };
      case "forbidden":
        return { status: "error", message: t("errors.notAllowed") };
      case "payment_declined":
        return { status: "error", message: t("errors.declined") };
      case "conflict":
      case "not_found":
        return { status: "error", message: t("errors.conflict") };
      default:
        return { status: "error", message: t("errors.generic") };
    }
  }
}
