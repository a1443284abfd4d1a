"use server";

import { getTranslations } from "next-intl/server";
import { serviceErrorMessage } from "@/lib/console/action";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { acceptStaffInvitation } from "@/lib/services/accept-staff-invitation";
import { ServiceError } from "@/lib/services/errors";

export type AcceptResult = { ok: true; email: string } | { ok: false; message: string; field?: "name" | "password" | "passwordConfirm" };

const FIELDS = ["name", "password", "passwordConfirm"] as const;

/**
 * The accept page's one action: no one is signed in, the invitation's link is the authority (the service checks it
 * again, inside the transaction that makes the login). Refusals come back in the visitor's language.
 */
export async function acceptInvitationAction(input: { token: string; name: string; password: string; passwordConfirm: string }): Promise<AcceptResult> {
  const t = await getTranslations("invitation.form");
  try {
    const { email } = await acceptStaffInvitation(configuredPlatform(await getDatabase()), input);
    return { ok: true, email };
  } catch (error) {
    if (error instanceof ServiceError) {
      const field = FIELDS.find((f) => f === error.details.param);
      if (error.code === "invalid" && field) return { ok: false, field, message: t(`problems.${field}`) };
      return { ok: false, message: await serviceErrorMessage(error) };
    }
    console.error("invitation: accepting failed", error);
    return { ok: false, message: (await getTranslations("errors"))("generic") };
  }
}
