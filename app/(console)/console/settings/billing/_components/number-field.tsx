"use client";

import { FieldError, Input, Label } from "@/components/ui/input";

/**
 * A whole number typed as text (an IME's full-width digits are read as digits) with its unit, and its problem beside
 * it. The label may be visually hidden where a row's heading says what it is.
 */
export function NumberField({
  id,
  label,
  unit,
  value,
  onChange,
  onBlur,
  problem,
  disabled,
  hideLabel = false,
}: {
  id: string;
  label: string;
  unit: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  problem: string | null;
  disabled: boolean;
  hideLabel?: boolean;
}) {
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={id} className={hideLabel ? "sr-only" : undefined}>
        {label}
      </Label>
      <div className="flex items-center gap-2">
        <Input
          id={id}
          inputMode="numeric"
          autoComplete="off"
          className="w-24 text-right tabular-nums"
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
        />
        <span className="text-sm text-slate-700">{unit}</span>
      </div>
      <FieldError id={`${id}-error`}>{problem}</FieldError>
    </div>
  );
}
