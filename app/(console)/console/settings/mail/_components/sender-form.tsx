"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Card, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label, Textarea } from "@/components/ui/input";
import { SettingsSave } from "@/components/console/settings-save";
import { saveMailSender } from "../actions";

type Values = { senderName: string; replyTo: string; footer: string };

/** The merchant's sender name, reply-to address and footer, shared by every mail. */
export function SenderForm({ initial, shopName, readOnlyReason }: { initial: Values; shopName: string; readOnlyReason: string | null }) {
  const t = useTranslations("mailSettings.sender");
  const tErrors = useTranslations("errors");
  const [values, setValues] = useState(initial);
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();
  const disabled = readOnlyReason !== null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await saveMailSender(values).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) return setProblem({ field: result.field ?? null, message: result.message });
      setProblem(null);
      toast.success(t("saved"));
    });
  }
  const field = (name: keyof Values, label: string, hint: string, multiline = false) => {
    const mine = problem?.field === name;
    const props = {
      id: `${id}-${name}`,
      value: values[name],
      disabled,
      placeholder: name === "replyTo" ? "support@example.jp" : name === "senderName" ? shopName : undefined,
      "aria-invalid": mine || undefined,
      "aria-describedby": [`${id}-${name}-hint`, mine ? `${id}-${name}-error` : null].filter(Boolean).join(" "),
    };
    return (
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-${name}`}>{label}</Label>
        {multiline ? (
          <Textarea {...props} rows={3} maxLength={2000} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
        ) : (
          <Input {...props} type={name === "replyTo" ? "email" : "text"} maxLength={name === "replyTo" ? 320 : 100} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
        )}
        <p id={`${id}-${name}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
        <FieldError id={`${id}-${name}-error`}>{mine ? problem.message : null}</FieldError>
      </div>
    );
  };

  return (
    <Card aria-labelledby="sender-title">
      <CardTitle id="sender-title">{t("heading")}</CardTitle>
      <p className="mb-3 text-sm text-slate-600">{t("lead")}</p>
      <ImeSafeForm onSubmit={onSubmit} className="flex max-w-xl flex-col gap-4" aria-busy={pending}>
        {field("senderName", t("senderName"), t("senderNameHint"))}
        {field("replyTo", t("replyTo"), t("replyToHint"))}
        {field("footer", t("footer"), t("footerHint"), true)}
        <SettingsSave problem={problem && !["senderName", "replyTo", "footer"].includes(problem.field ?? "") ? problem.message : null} readOnlyReason={readOnlyReason} disabled={disabled} pending={pending} label={t("save")} />
      </ImeSafeForm>
    </Card>
  );
}
