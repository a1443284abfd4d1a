import type { MailTemplate } from "@/lib/billing/mail-template";
import type { MailOverride } from "./mail-settings";
import { MAIL_VARIABLES, variablesOf } from "./mail-variables";

export type OverrideProblem =
  | { field: "subject" | "body"; code: "unknown_variable"; variable: string }
  | { field: "subject" | "body"; code: "variable_not_in_mail"; variable: string }
  | { field: "subject"; code: "empty_subject" }
  | { field: "subject"; code: "subject_too_long" }
  | { field: "subject" | "body"; code: "unclosed_variable" };

const VARIABLE = /%%([^%\s]*)%%/g;

/**
 * What is wrong with a merchant's wording of a mail, each problem naming its field and variable: a variable no mail
 * has, one this mail does not carry (it would print nothing), an unclosed `%%`, an empty or over-long subject. A
 * subject left unset falls back to the default; one set to blanks is refused.
 */
export function problemsOf(template: MailTemplate, override: MailOverride): OverrideProblem[] {
  const problems: OverrideProblem[] = [];
  const carried = new Set<string>(variablesOf(template));
  const known = new Set<string>(Object.keys(MAIL_VARIABLES));
  if (override.subject !== undefined) {
    if (override.subject.trim() === "") problems.push({ field: "subject", code: "empty_subject" });
    else if (override.subject.length > 200) problems.push({ field: "subject", code: "subject_too_long" });
  }
  for (const field of ["subject", "body"] as const) {
    const text = override[field];
    if (!text) continue;
    for (const [, name] of text.matchAll(VARIABLE)) {
      if (!known.has(name!)) problems.push({ field, code: "unknown_variable", variable: name! });
      else if (!carried.has(name!)) problems.push({ field, code: "variable_not_in_mail", variable: name! });
    }
    if ((text.replace(VARIABLE, "").match(/%%/g) ?? []).length > 0) problems.push({ field, code: "unclosed_variable" });
  }
  return problems;
}
