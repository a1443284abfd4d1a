"use client";

import { useId } from "react";

/** A labelled group of radio buttons (native: arrow keys move between them), each option with an optional hint. */
export function ChoiceField({
  legend,
  name,
  value,
  onChange,
  options,
}: {
  legend: string;
  name: string;
  value: string;
  onChange(value: string): void;
  options: { value: string; label: string; hint?: string }[];
}) {
  const id = useId();
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium text-slate-800">{legend}</legend>
      {options.map((option) => (
        <div key={option.value} className="flex items-start gap-2 text-sm">
          <input
            id={`${id}-${option.value}`}
            type="radio"
            name={name}
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
            className="mt-0.5 h-4 w-4 accent-sky-700"
            aria-describedby={option.hint ? `${id}-${option.value}-hint` : undefined}
          />
          <span className="flex flex-col">
            <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
            {option.hint ? (
              <span id={`${id}-${option.value}-hint`} className="text-xs text-slate-600">
                {option.hint}
              </span>
            ) : null}
          </span>
        </div>
      ))}
    </fieldset>
  );
}
