"use client";

import { CheckCircle2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { type ChangeEvent, type KeyboardEvent, useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";
import { type CardField, type CardFormState, submitCard } from "../actions";

const EMPTY: Record<CardField, string> = { number: "", expMonth: "", expYear: "", cvc: "", name: "" };
const HINTED: ReadonlySet<CardField> = new Set(["number", "cvc", "name"]);

/**
 * The sandbox's card form (gateway-hosted fields replace it with the mypage). The fields are controlled, so a declined
 * card or a wrong field keeps what was typed; the field at fault gets the focus and its message. The name goes
 * through an IME: the Enter that confirms a conversion does not send the form.
 */
export function CardForm({ token, payLabel, sandbox }: { token: string; payLabel: string | null; sandbox: boolean }) {
  const t = useTranslations("cardUpdate");
  const [state, action, pending] = useActionState<CardFormState, FormData>(submitCard, { status: "idle" });
  const [values, setValues] = useState(EMPTY);
  const composing = useRef(false);
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status !== "error") return;
    if (state.field) document.getElementById(state.field)?.focus();
    else alertRef.current?.focus();
  }, [state]);

  if (state.status === "done") {
    return (
      <div role="status" className="flex flex-col gap-2 rounded-md border border-emerald-300 bg-emerald-50 p-4" data-testid="card-updated">
        <p className="flex items-center gap-2 font-semibold text-emerald-900">
          <CheckCircle2 aria-hidden className="size-5" />
          {state.title}
        </p>
        {state.lines.map((line) => (
          <p key={line} className="text-sm text-emerald-900">
            {line}
          </p>
        ))}
      </div>
    );
  }

  const error = state.status === "error" ? state : null;
  const fieldProps = (name: CardField) => {
    const errorId = `${name}-error`;
    const invalid = error?.field === name;
    return {
      id: name,
      name,
      value: values[name],
      onChange: (e: ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [name]: e.target.value })),
      "aria-invalid": invalid || undefined,
      "aria-describedby": [invalid ? errorId : null, HINTED.has(name) ? `${name}-hint` : null].filter(Boolean).join(" ") || undefined,
      required: true,
      disabled: pending,
    };
  };
  const onNameKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" && (composing.current || event.nativeEvent.isComposing || event.keyCode === 229)) event.preventDefault();
  };
  const fieldError = (name: CardField) => <FieldError id={`${name}-error`}>{error?.field === name ? error.message : null}</FieldError>;

  return (
    <form action={action} className="flex flex-col gap-4" noValidate aria-labelledby="card-form-heading">
      <h2 id="card-form-heading" className="text-base font-semibold">
        {t("form.heading")}
      </h2>
      {sandbox ? <p className="rounded-md bg-amber-50 p-3 text-xs text-amber-900 ring-1 ring-amber-200 ring-inset">{t("form.sandbox")}</p> : null}
      {error && !error.field ? (
        <div ref={alertRef} tabIndex={-1} role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {error.message}
        </div>
      ) : null}
      <input type="hidden" name="token" value={token} />

      <div className="flex flex-col gap-1">
        <Label htmlFor="number">{t("form.number")}</Label>
        <Input {...fieldProps("number")} inputMode="numeric" autoComplete="cc-number" placeholder="4242 4242 4242 4242" maxLength={40} />
        <p id="number-hint" className="text-xs text-slate-600">
          {t("form.numberHint")}
        </p>
        {fieldError("number")}
      </div>

      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-medium text-slate-800">{t("form.expiry")}</legend>
        <div className="flex items-end gap-3">
          <div className="flex w-28 flex-col gap-1">
            <Label htmlFor="expMonth" className="text-xs font-normal text-slate-700">
              {t("form.expMonth")}
            </Label>
            <Input {...fieldProps("expMonth")} inputMode="numeric" autoComplete="cc-exp-month" placeholder="MM" maxLength={2} />
          </div>
          <span aria-hidden className="pb-2 text-slate-500">
            /
          </span>
          <div className="flex w-28 flex-col gap-1">
            <Label htmlFor="expYear" className="text-xs font-normal text-slate-700">
              {t("form.expYear")}
            </Label>
            <Input {...fieldProps("expYear")} inputMode="numeric" autoComplete="cc-exp-year" placeholder="YY" maxLength={4} />
          </div>
        </div>
        {fieldError("expMonth")}
        {fieldError("expYear")}
      </fieldset>

      <div className="flex w-40 flex-col gap-1">
        <Label htmlFor="cvc">{t("form.cvc")}</Label>
        <Input {...fieldProps("cvc")} inputMode="numeric" autoComplete="cc-csc" maxLength={4} />
      </div>
      <p id="cvc-hint" className="-mt-3 text-xs text-slate-600">
        {t("form.cvcHint")}
      </p>
      {fieldError("cvc")}

      <div className="flex flex-col gap-1">
        <Label htmlFor="name">{t("form.name")}</Label>
        <Input
          {...fieldProps("name")}
          autoComplete="cc-name"
          maxLength={100}
          onKeyDown={onNameKeyDown}
          onCompositionStart={() => {
            composing.current = true;
          }}
          onCompositionEnd={() => {
            composing.current = false;
          }}
        />
        <p id="name-hint" className="text-xs text-slate-600">
          {t("form.nameHint")}
        </p>
        {fieldError("name")}
      </div>

      <Button type="submit" disabled={pending} className="self-start">
        {pending ? t("form.submitting") : payLabel ? t("form.submitAndPay", { amount: payLabel }) : t("form.submit")}
      </Button>
    </form>
  );
}
