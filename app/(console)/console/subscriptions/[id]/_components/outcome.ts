"use client";

import { useTranslations } from "next-intl";
import { declineTitle } from "@/components/console/decline-explanation";
import type { ActionResult } from "@/lib/console/action";
import type { ChargeOutcome } from "../actions";
import type { DialogOutcome } from "./action-dialog";

/**
 * Turns a server action's answer into what the dialog shows: a refusal stays in the dialog; a declined charge closes
 * it with an error toast that names the decline in words; anything else closes it with `done`'s message.
 */
export function useOutcome() {
  const t = useTranslations("subscription.dialog");
  const tDeclines = useTranslations("declines");
  return function outcome<T>(result: ActionResult<T>, done: (data: T) => string): DialogOutcome {
    if (!result.ok) return { problem: result.message, field: result.field };
    const data = result.data as T & Partial<ChargeOutcome>;
    if (data && typeof data === "object" && data.paid === false) return { done: t("declined", { reason: declineTitle(tDeclines, data.declineCode ?? null) }), tone: "error" };
    return { done: done(result.data) };
  };
}
