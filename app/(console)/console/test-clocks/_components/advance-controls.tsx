"use client";

import { FastForward } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { type AdvanceStep, advanceTestClockAction } from "../actions";

const STEPS: readonly AdvanceStep[] = ["day", "week", "month"];

/**
 * Moves the clock forward: a step of the merchant's calendar, or to a typed time. The server answers once the clock
 * is marked advancing; the page then refreshes itself (LiveRefresh) until the run is done.
 */
export function AdvanceControls({ testClockId, disabledReason, minLocal, timeZone }: { testClockId: string; disabledReason: string | null; minLocal: string; timeZone: string }) {
  const t = useTranslations("testClocks.advance");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [to, setTo] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();
  const disabled = disabledReason !== null || pending;

  function advance(step: AdvanceStep | null) {
    if (!step && !to) return setProblem(t("toRequired"));
    setProblem(null);
    startTransition(async () => {
      const result = await advanceTestClockAction({ testClockId, step, to }).catch(() => null);
      if (!result) return void toast.error(tErrors("generic"));
      if (!result.ok) {
        // A time before the clock's own is the field's mistake; anything else (already advancing, a role) is the page's.
        if (result.field === "frozenTime" || result.field === "frozen_time") return setProblem(t("toInvalid"));
        return void toast.error(result.message);
      }
      setTo("");
      toast.success(t("started"));
      router.refresh();
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    advance(null);
  }

  return (
    <div className="mt-4 flex flex-col gap-4 border-t border-slate-200 pt-4">
      <div role="group" aria-label={t("quick")} className="flex flex-wrap items-center gap-2">
        <span className="text-sm font-medium text-slate-800">{t("quick")}</span>
        {STEPS.map((step) => (
          <DisabledReason key={step} reason={disabledReason}>
            <Button variant="secondary" size="sm" disabled={disabled} onClick={() => advance(step)}>
              <FastForward className="h-4 w-4" aria-hidden />
              {t(`step.${step}`)}
            </Button>
          </DisabledReason>
        ))}
      </div>
      <form noValidate onSubmit={onSubmit} className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-to`}>{t("to")}</Label>
          <Input
            id={`${id}-to`}
            type="datetime-local"
            min={minLocal}
            value={to}
            disabled={disabledReason !== null}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={[`${id}-to-hint`, problem ? `${id}-to-error` : null].filter(Boolean).join(" ")}
          />
        </div>
        <DisabledReason reason={disabledReason}>
          <Button type="submit" disabled={disabled}>
            {pending ? t("pending") : t("submit")}
          </Button>
        </DisabledReason>
        <p id={`${id}-to-hint`} className="w-full text-xs text-slate-600">
          {t("toHint", { timeZone })}
        </p>
        <div className="w-full">
          <FieldError id={`${id}-to-error`}>{problem}</FieldError>
        </div>
      </form>
    </div>
  );
}
