"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError, Label } from "@/components/ui/input";
import { EVENT_TYPES } from "@/lib/webhooks/event-types";

/** Which events an endpoint receives: everything, or the chosen types (grouped as the API names them). */
export function EventTypesField({ value, onChange, error }: { value: string[]; onChange: (next: string[]) => void; error: string | null }) {
  const t = useTranslations("webhooks");
  const id = useId();
  const all = value.includes("*");
  const toggle = (type: string, on: boolean) => onChange(on ? [...value.filter((v) => v !== "*"), type] : value.filter((v) => v !== type));
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-1 text-sm font-medium text-slate-800">{t("endpoint.events")}</legend>
      <div className="flex items-center gap-2">
        <Checkbox id={`${id}-all`} checked={all} onCheckedChange={(on) => onChange(on === true ? ["*"] : [])} />
        <Label htmlFor={`${id}-all`}>{t("allEvents")}</Label>
      </div>
      <div className="grid grid-cols-1 gap-x-4 gap-y-2 sm:grid-cols-2">
        {EVENT_TYPES.map((type) => (
          <div key={type} className="flex items-center gap-2">
            <Checkbox id={`${id}-${type}`} checked={all || value.includes(type)} disabled={all} onCheckedChange={(on) => toggle(type, on === true)} />
            <Label htmlFor={`${id}-${type}`} className="font-normal">
              {t(`eventTypes.${type}`)} <code className="text-xs text-slate-600">{type}</code>
            </Label>
          </div>
        ))}
      </div>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </fieldset>
  );
}
