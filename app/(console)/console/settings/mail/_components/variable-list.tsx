"use client";

import { useTranslations } from "next-intl";
import type { MailVariable } from "@/lib/mail/mail-variables";

/** The variables this mail carries, each a button that inserts it where the cursor was (subject or body). */
export function VariableList({ variables, onInsert, disabled }: { variables: MailVariable[]; onInsert(variable: MailVariable): void; disabled: boolean }) {
  const t = useTranslations("mailSettings.variables");
  return (
    <aside aria-labelledby="variables-title" className="flex flex-col gap-2 rounded-md border border-slate-200 bg-slate-50 p-3">
      <h3 id="variables-title" className="text-sm font-semibold text-slate-800">
        {t("heading")}
      </h3>
      <p className="text-xs text-slate-600">{t("hint")}</p>
      <ul className="flex flex-col gap-1" data-testid="variables">
        {variables.map((name) => (
          <li key={name} className="flex flex-col">
            <button
              type="button"
              disabled={disabled}
              // Keep the caret where it was in the field: a mousedown here would move focus first.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onInsert(name)}
              aria-label={t("insert", { variable: `%%${name}%%` })}
              className="self-start rounded bg-white px-1.5 py-0.5 font-mono text-xs text-sky-900 ring-1 ring-slate-300 hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-sky-600 disabled:text-slate-500"
            >
              %%{name}%%
            </button>
            <span className="text-xs text-slate-700">{t(name)}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
