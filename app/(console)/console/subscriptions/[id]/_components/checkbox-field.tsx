"use client";

import { useId } from "react";

/** A native checkbox with its label and an optional hint (its accessible description). */
export function CheckboxField({ name, label, hint, defaultChecked, disabled }: { name: string; label: string; hint?: string; defaultChecked?: boolean; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2 text-sm">
      <input id={id} type="checkbox" name={name} defaultChecked={defaultChecked} disabled={disabled} className="mt-0.5 h-4 w-4 accent-sky-700" aria-describedby={hint ? `${id}-hint` : undefined} />
      <span className="flex flex-col">
        <label htmlFor={id}>{label}</label>
        {hint ? (
          <span id={`${id}-hint`} className="text-xs text-slate-600">
            {hint}
          </span>
        ) : null}
      </span>
    </div>
  );
}
