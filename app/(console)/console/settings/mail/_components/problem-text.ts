"use client";

import { useTranslations } from "next-intl";
import type { OverrideProblem } from "@/lib/mail/validate-mail-override";

/** A problem of the wording in the reader's language, naming the field and the variable. */
export function useProblemText() {
  const t = useTranslations("mailSettings.problems");
  return (problem: OverrideProblem) => t(problem.code, { field: t(`field.${problem.field}`), variable: "variable" in problem ? problem.variable : "" });
}
