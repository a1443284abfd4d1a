import { getTranslations } from "next-intl/server";
import { MESSAGES } from "@/messages";

/** Every action code that has a label (audit.json's `actions`, Japanese being the reference), as "group.verb". */
export const LABELLED_ACTIONS: readonly string[] = Object.entries(MESSAGES.ja.audit.actions).flatMap(([group, verbs]) => Object.keys(verbs).map((verb) => `${group}.${verb}`));

/** An action in the reader's words; a code without a label (a newer verb) is shown as it is. */
export async function actionLabeller(): Promise<(code: string) => string> {
  const t = await getTranslations("audit.actions");
  return (code) => {
    const key = code as Parameters<typeof t>[0];
    return t.has(key) ? t(key) : code;
  };
}

/** The action filter's choices, labelled, in the reader's alphabetical order. */
export async function actionOptions(): Promise<{ code: string; label: string }[]> {
  const label = await actionLabeller();
  return LABELLED_ACTIONS.map((code) => ({ code, label: label(code) })).sort((a, b) => a.label.localeCompare(b.label, "ja"));
}
