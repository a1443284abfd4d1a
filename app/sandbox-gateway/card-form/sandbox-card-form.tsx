"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import type { CardFieldsMessage } from "@/components/card-fields/messages";

type Field = "number" | "expMonth" | "expYear" | "cvc";

/**
 * The sandbox gateway's hosted card form: the number goes from here to the gateway's tokenize route only, and the
 * embedding page gets the token by postMessage — addressed to this site's own origin, which is the checkout page's
 * (the sandbox is served by Keizoku itself), so no other page can receive it.
 */
export function SandboxCardForm() {
  const t = useTranslations("checkout.cardForm");
  const [values, setValues] = useState<Record<Field, string>>({ number: "", expMonth: "", expYear: "", cvc: "" });
  const [error, setError] = useState<{ param: string; message: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/sandbox-gateway/tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(values) });
      const body = (await response.json()) as { token?: string; card?: { last4: string }; error?: { param?: string; message: string } };
      if (!response.ok || !body.token) {
        setError({ param: body.error?.param ?? "number", message: body.error?.message ?? "" });
        return;
      }
      const message: CardFieldsMessage = { source: "keizoku-card-fields", type: "token", token: body.token, last4: body.card!.last4 };
      window.parent.postMessage(message, window.location.origin);
    } finally {
      setPending(false);
    }
  }

  const field = (name: Field) => ({
    id: name,
    name,
    value: values[name],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value })),
    "aria-invalid": error?.param === name || undefined,
    "aria-describedby": error?.param === name ? "card-error" : undefined,
    required: true,
    disabled: pending,
  });

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate aria-label={t("title")}>
      <p className="rounded-md bg-amber-50 p-2 text-xs text-amber-900 ring-1 ring-amber-200 ring-inset">{t("sandbox")}</p>
      <div className="flex flex-col gap-1">
        <Label htmlFor="number">{t("number")}</Label>
        <Input {...field("number")} inputMode="numeric" autoComplete="cc-number" placeholder="4242 4242 4242 4242" maxLength={40} />
      </div>
      <div className="flex gap-3">
        <div className="flex w-24 flex-col gap-1">
          <Label htmlFor="expMonth">{t("expMonth")}</Label>
          <Input {...field("expMonth")} inputMode="numeric" autoComplete="cc-exp-month" placeholder="MM" maxLength={2} />
        </div>
        <div className="flex w-24 flex-col gap-1">
          <Label htmlFor="expYear">{t("expYear")}</Label>
          <Input {...field("expYear")} inputMode="numeric" autoComplete="cc-exp-year" placeholder="YY" maxLength={4} />
        </div>
        <div className="flex w-28 flex-col gap-1">
          <Label htmlFor="cvc">{t("cvc")}</Label>
          <Input {...field("cvc")} inputMode="numeric" autoComplete="cc-csc" maxLength={4} />
        </div>
      </div>
      {error ? (
        <p id="card-error" role="alert" className="text-sm text-red-700">
          {t("invalid", { message: error.message })}
        </p>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? t("checking") : t("submit")}
      </Button>
    </form>
  );
}
