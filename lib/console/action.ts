import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import type { ServiceContext } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { staffSession } from "./staff-context";

/** What every console server action answers: the message is in the staff member's language, never a raw error. */
export type ActionResult<T = null> = { ok: true; data: T } | { ok: false; message: string; field?: string };

/**
 * The staff realm's server-action adapter. A server action is a public POST endpoint: this builds the context from the
 * session (refusing when there is none), runs one service call, which checks the role itself, and turns a
 * ServiceError into a message in the staff member's language; anything else is logged and shown as a generic message.
 * `revalidate` names the paths whose server render changed.
 */
export async function staffAction<T>(run: (ctx: ServiceContext) => Promise<T>, options: { revalidate?: readonly string[] } = {}): Promise<ActionResult<T>> {
  const t = await getTranslations("errors");
  const session = await staffSession();
  if (!session) return { ok: false, message: t("signedOut") };
  try {
    const data = await run(session.ctx);
    for (const path of options.revalidate ?? []) revalidatePath(path);
    return { ok: true, data };
  } catch (error) {
    if (error instanceof ServiceError) return { ok: false, message: await serviceErrorMessage(error), field: error.details.param };
    console.error("console: server action failed", error);
    return { ok: false, message: t("generic") };
  }
}

/**
 * A ServiceError in the reader's language: the reason's own message when errors.json has one (errors.reasons.<reason>),
 * otherwise the message for its code.
 */
export async function serviceErrorMessage(error: ServiceError): Promise<string> {
  const t = await getTranslations("errors");
  const reason = error.details.reason;
  const reasonKey = `reasons.${reason}` as Parameters<typeof t>[0];
  if (reason && t.has(reasonKey)) return t(reasonKey, { code: error.details.declineCode ?? "" });
  if (error.code === "payment_declined") return t("payment_declined", { code: error.details.declineCode ?? "declined" });
  return t(error.code);
}
