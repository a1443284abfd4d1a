"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientAddress } from "@/lib/console/client-address";
import type { MypageFormState } from "@/lib/mypage/action";
import { mypageTranslator, setMypageCookie, visitorLocale } from "@/lib/mypage/customer-context";
import { mypagePath } from "@/lib/mypage/urls";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { requestCustomerMail } from "@/lib/services/mypage/mail-customer-token";
import { confirmEmailChange, resetCustomerPassword, signInWithLink } from "@/lib/services/mypage/redeem-customer-token";
import { signInCustomer } from "@/lib/services/mypage/sign-in-customer";

// Before sign-in the customer is not known: the visitor's language.
const translator = async () => mypageTranslator(await visitorLocale());
const platform = async () => configuredPlatform(await getDatabase());
const text = (form: FormData, name: string) => String(form.get(name) ?? "");

/** Email + password; the same refusal for every failure (throttled, unknown, wrong). */
export async function signInWithPassword(merchantId: string, _state: MypageFormState, form: FormData): Promise<MypageFormState> {
  const t = await translator();
  const result = await signInCustomer(await platform(), { merchantId, email: text(form, "email"), password: text(form, "password"), address: clientAddress(await headers()) });
  if (!result.ok) return { status: "error", message: t("signIn.failed") };
  await setMypageCookie(merchantId, result.token, result.expiresAt);
  redirect(mypagePath(merchantId));
}

/** A sign-in link or a password reset by mail: the same answer whether or not the address is a customer's. */
export async function mailMeALink(merchantId: string, purpose: "sign_in" | "password_reset", _state: MypageFormState, form: FormData): Promise<MypageFormState> {
  const t = await translator();
  const result = await requestCustomerMail(await platform(), { merchantId, email: text(form, "email"), purpose, address: clientAddress(await headers()) });
  if (!result.ok) return { status: "error", message: t("signIn.invalidEmail"), field: "email" };
  return { status: "done", message: t(purpose === "sign_in" ? "signIn.linkSent" : "reset.sent") };
}

/** The sign-in link's confirmation page posts here: only this POST uses the link up (mail scanners only GET). */
export async function confirmSignInLink(merchantId: string, token: string): Promise<MypageFormState> {
  const t = await translator();
  const result = await signInWithLink(await platform(), { merchantId, token });
  if (!result.ok) return { status: "error", message: t("link.invalid") };
  await setMypageCookie(merchantId, result.token, result.expiresAt);
  redirect(mypagePath(merchantId));
}

export async function setNewPassword(merchantId: string, token: string, _state: MypageFormState, form: FormData): Promise<MypageFormState> {
  const t = await translator();
  const result = await resetCustomerPassword(await platform(), { merchantId, token, password: text(form, "password") });
  if (!result.ok) return result.reason === "weak_password" ? { status: "error", message: t("reset.weak"), field: "password" } : { status: "error", message: t("reset.invalid") };
  await setMypageCookie(merchantId, result.token, result.expiresAt);
  redirect(mypagePath(merchantId));
}

export async function confirmNewEmail(merchantId: string, token: string): Promise<MypageFormState> {
  const t = await translator();
  const result = await confirmEmailChange(await platform(), { merchantId, token });
  if (!result.ok) return { status: "error", message: t(result.reason === "taken" ? "email.taken" : "email.invalid") };
  return { status: "done", message: t("email.done", { email: result.email }) };
}
