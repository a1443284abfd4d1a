"use server";

import { redirect } from "next/navigation";
import { type MypageFormState, mypageAction } from "@/lib/mypage/action";
import { clearMypageCookie, mypageToken } from "@/lib/mypage/customer-context";
import { mypagePath } from "@/lib/mypage/urls";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { CANCEL_REASONS, cancelMyContract } from "@/lib/services/mypage/cancel-my-contract";
import { endCustomerSession } from "@/lib/services/mypage/customer-sessions";
import { pauseMyContract } from "@/lib/services/mypage/pause-my-contract";
import { requestMyEmailChange, updateMyProfile } from "@/lib/services/mypage/update-my-profile";
import { resumeSubscription } from "@/lib/services/resume-subscription";

const text = (form: FormData, name: string) => String(form.get(name) ?? "");
const reasonOf = (value: string) => (CANCEL_REASONS as readonly string[]).includes(value) ? (value as (typeof CANCEL_REASONS)[number]) : "other";

export async function cancelContract(merchantId: string, subscriptionId: string, _state: MypageFormState, form: FormData): Promise<MypageFormState> {
  return mypageAction(merchantId, async (ctx, t) => {
    await cancelMyContract(ctx, { subscriptionId, reason: reasonOf(text(form, "reason")), comment: text(form, "comment"), immediately: text(form, "when") === "now" });
    return t("cancel.done");
  });
}

export async function resumeContract(merchantId: string, subscriptionId: string): Promise<MypageFormState> {
  return mypageAction(merchantId, async (ctx, t) => {
    await resumeSubscription(ctx, { subscriptionId });
    return t("resume.done");
  });
}

export async function pauseContract(merchantId: string, subscriptionId: string): Promise<MypageFormState> {
  return mypageAction(merchantId, async (ctx, t) => {
    await pauseMyContract(ctx, { subscriptionId });
    return t("pause.done");
  });
}

export async function saveProfile(merchantId: string, _state: MypageFormState, form: FormData): Promise<MypageFormState> {
  return mypageAction(merchantId, async (ctx, t) => {
    const address = { postalCode: text(form, "postalCode"), prefecture: text(form, "prefecture"), city: text(form, "city"), line1: text(form, "line1"), line2: text(form, "line2") };
    // An address left wholly blank is no address; one begun must be complete (the service says which part is missing).
    const given = Object.values(address).some((part) => part.trim() !== "");
    await updateMyProfile(ctx, { name: text(form, "name"), phone: text(form, "phone"), address: given ? { ...address, line2: address.line2.trim() || undefined } : null });
    return t("profile.saved");
  });
}

export async function changeEmail(merchantId: string, _state: MypageFormState, form: FormData): Promise<MypageFormState> {
  return mypageAction(merchantId, async (ctx, t) => {
    const email = text(form, "email").trim();
    await requestMyEmailChange(ctx, { email });
    return t("profile.emailSent", { email });
  });
}

export async function signOut(merchantId: string): Promise<void> {
  await endCustomerSession(configuredPlatform(await getDatabase()), await mypageToken());
  await clearMypageCookie(merchantId);
  redirect(mypagePath(merchantId, "/sign-in"));
}

