"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Input, Label, Textarea } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import type { CustomerMailTemplate } from "@/lib/billing/mail-template";
import type { MailOverride } from "@/lib/mail/mail-settings";
import type { MailVariable } from "@/lib/mail/mail-variables";
import type { OverrideProblem } from "@/lib/mail/validate-mail-override";
import { saveMailTemplate, sendTestMailWording } from "../actions";
import { MailPreview } from "./mail-preview";
import { useProblemText } from "./problem-text";
import { VariableList } from "./variable-list";

type Props = {
  template: CustomerMailTemplate;
  product: { id: string; name: string } | null;
  merchantSetting: MailOverride | null;
  productSetting: MailOverride | null;
  /** Keizoku's Japanese subject, shown when nothing else is set (saved as "unset" so English customers keep theirs). */
  defaultSubject: string;
  variables: MailVariable[];
  contracts: { id: string; customer: string; plan: string }[];
  readOnlyReason: string | null;
};

type Field = "subject" | "body";

/**
 * One mail's settings: on/off, subject and body with its variables beside them (a click inserts one at the cursor),
 * for the merchant or, overriding it, for one product. Save refuses wording with problems and names each beside its
 * field; preview and test send use the unsaved wording.
 */
export function MailEditor({ template, product, merchantSetting, productSetting, defaultSubject, variables, contracts, readOnlyReason }: Props) {
  const t = useTranslations("mailSettings");
  const tTemplate = useTranslations("billing.mailTemplate");
  const tErrors = useTranslations("errors");
  const problemText = useProblemText();
  const router = useRouter();
  const ids = { subject: useId(), body: useId(), enabled: useId(), problems: useId(), subjectHint: useId(), bodyHint: useId() };

  // What this scope falls back to: for a product, the merchant's setting; for the merchant, Keizoku's defaults.
  const inherited = { enabled: merchantSetting?.enabled ?? true, subject: merchantSetting?.subject ?? defaultSubject, body: merchantSetting?.body ?? "" };
  const base = product ? inherited : { enabled: true, subject: defaultSubject, body: "" };
  const saved = product ? productSetting : merchantSetting;
  const [mode, setMode] = useState<"inherit" | "own">(product && !productSetting ? "inherit" : "own");
  const [enabled, setEnabled] = useState(saved?.enabled ?? base.enabled);
  const [subject, setSubject] = useState(saved?.subject ?? base.subject);
  const [body, setBody] = useState(saved?.body ?? base.body);
  const [problems, setProblems] = useState<OverrideProblem[]>([]);
  const [saving, startSaving] = useTransition();
  const [sending, startSending] = useTransition();
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const lastField = useRef<Field>("body");
  const [preview, setPreview] = useState<{ contractId: string }>({ contractId: "" });

  const editable = readOnlyReason === null;
  const inheriting = product !== null && mode === "inherit";
  const fieldsDisabled = !editable || inheriting;

  /** The wording as the services take it: what equals the fallback is left unset, so the fallback keeps applying. */
  function wording(): { enabled: boolean; subject: string | null; body: string | null } | null {
    if (inheriting) return null;
    return { enabled, subject: subject === base.subject ? null : subject, body: body === base.body || body === "" ? null : body };
  }
  /** The text preview and test send render: what the customer would get with this wording, inherited or not. */
  function shownWording() {
    if (inheriting) return { subject: merchantSetting?.subject ?? null, body: merchantSetting?.body ?? null };
    return { subject: subject === defaultSubject ? null : subject, body: body || null };
  }

  function insert(variable: string) {
    const token = `%%${variable}%%`;
    const field = lastField.current;
    const element = field === "subject" ? subjectRef.current : bodyRef.current;
    const value = field === "subject" ? subject : body;
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    const next = value.slice(0, start) + token + value.slice(end);
    (field === "subject" ? setSubject : setBody)(next);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startSaving(async () => {
      const result = await saveMailTemplate({ template, productId: product?.id ?? null, override: wording() }).catch(() => null);
      if (!result) return void toast.error(tErrors("generic"));
      if (!result.ok) return void toast.error(result.message);
      setProblems(result.data.problems);
      if (result.data.problems.length === 0) toast.success(t("editor.saved", { template: tTemplate(template) }));
    });
  }

  function onTestSend() {
    startSending(async () => {
      const result = await sendTestMailWording({ template, override: shownWording(), subscriptionId: preview.contractId || null }).catch(() => null);
      if (!result) return void toast.error(tErrors("generic"));
      if (!result.ok) return void toast.error(result.message);
      if ("problems" in result.data) return setProblems(result.data.problems);
      setProblems([]);
      const mailId = result.data.mailId;
      toast.success(t("testSend.done", { to: result.data.to }), {
        action: { label: t("testSend.openOutbox"), onClick: () => router.push(`/console/mails/${mailId}`) },
      });
    });
  }

  const problemsOf = (field: Field) => problems.filter((p) => p.field === field);
  const describedBy = (field: Field, hint: string) => [hint, problemsOf(field).length > 0 ? `${ids.problems}-${field}` : null].filter(Boolean).join(" ");
  const fieldProblems = (field: Field) =>
    problemsOf(field).length > 0 ? (
      <div id={`${ids.problems}-${field}`} role="alert" data-testid={`problems-${field}`}>
        <ul className="flex flex-col gap-0.5 text-sm text-red-700">
          {problemsOf(field).map((p, i) => (
            <li key={i}>{problemText(p)}</li>
          ))}
        </ul>
      </div>
    ) : null;

  const saveButton = (
    <Button type="submit" disabled={!editable || saving}>
      {saving ? t("editor.saving") : t("editor.save")}
    </Button>
  );
  const testButton = (
    <Button type="button" variant="secondary" disabled={!editable || sending} onClick={onTestSend}>
      {sending ? t("testSend.sending") : t("testSend.button")}
    </Button>
  );

  return (
    <div className="flex min-w-0 flex-col gap-4">
      <Card aria-labelledby="mail-editor-title">
        <CardTitle id="mail-editor-title">{t("editor.heading", { template: tTemplate(template) })}</CardTitle>
        {readOnlyReason ? <p className="mb-3 rounded-md bg-slate-50 p-2 text-sm text-slate-700">{readOnlyReason}</p> : null}
        <ImeSafeForm onSubmit={onSave} className="grid gap-4 lg:grid-cols-[1fr_16rem]" aria-busy={saving}>
          <div className="flex min-w-0 flex-col gap-4">
            {product ? (
              <fieldset className="flex flex-col gap-1" disabled={!editable}>
                <legend className="mb-1 text-sm font-medium text-slate-800">{t("editor.mode")}</legend>
                {(["inherit", "own"] as const).map((value) => (
                  <label key={value} className="flex items-center gap-2 text-sm">
                    <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} className="h-4 w-4 accent-sky-700" />
                    {t(`editor.${value}`)}
                  </label>
                ))}
                {inheriting ? (
                  <p className="text-sm text-slate-600" data-testid="inherit-note">
                    {t("editor.inheritNote", { state: inherited.enabled ? t("events.on") : t("events.off") })}
                  </p>
                ) : null}
              </fieldset>
            ) : null}
            <div className="flex items-start gap-2">
              <Checkbox id={ids.enabled} checked={inheriting ? inherited.enabled : enabled} onCheckedChange={(v) => setEnabled(v === true)} disabled={fieldsDisabled} aria-describedby={`${ids.enabled}-hint`} />
              <div className="flex flex-col gap-0.5">
                <Label htmlFor={ids.enabled}>{t("editor.enabled")}</Label>
                <p id={`${ids.enabled}-hint`} className="text-xs text-slate-600">
                  {t("editor.enabledHint")}
                </p>
              </div>
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor={ids.subject}>{t("editor.subject")}</Label>
              <Input
                id={ids.subject}
                ref={subjectRef}
                value={inheriting ? inherited.subject : subject}
                onChange={(e) => setSubject(e.target.value)}
                onFocus={() => (lastField.current = "subject")}
                disabled={fieldsDisabled}
                maxLength={1000}
                aria-invalid={problemsOf("subject").length > 0 || undefined}
                aria-describedby={describedBy("subject", ids.subjectHint)}
              />
              <p id={ids.subjectHint} className="text-xs text-slate-600">
                {t("editor.subjectHint")}
              </p>
              {fieldProblems("subject")}
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor={ids.body}>{t("editor.body")}</Label>
              <Textarea
                id={ids.body}
                ref={bodyRef}
                rows={12}
                value={inheriting ? inherited.body : body}
                placeholder={t("editor.bodyPlaceholder")}
                onChange={(e) => setBody(e.target.value)}
                onFocus={() => (lastField.current = "body")}
                disabled={fieldsDisabled}
                maxLength={20_000}
                className="font-mono"
                aria-invalid={problemsOf("body").length > 0 || undefined}
                aria-describedby={describedBy("body", ids.bodyHint)}
              />
              <p id={ids.bodyHint} className="text-xs text-slate-600">
                {t("editor.bodyHint")}
              </p>
              {fieldProblems("body")}
            </div>
            {problems.length > 0 ? (
              <p className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="save-problems">
                {t("editor.problemsHeading")}
              </p>
            ) : null}
            <div className="flex flex-wrap items-center gap-2">
              <DisabledReason reason={readOnlyReason}>{saveButton}</DisabledReason>
              <DisabledReason reason={readOnlyReason}>{testButton}</DisabledReason>
              <p className="text-xs text-slate-600">{t("testSend.hint")}</p>
            </div>
          </div>
          <VariableList variables={variables} onInsert={insert} disabled={fieldsDisabled} />
        </ImeSafeForm>
      </Card>
      <MailPreview
        template={template}
        wording={shownWording}
        contracts={contracts}
        contractId={preview.contractId}
        onContractChange={(contractId) => setPreview({ contractId })}
      />
      <p className="text-xs text-slate-600">
        <Link href="/console/mails" className="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600">
          {t("testSend.openOutbox")}
        </Link>
      </p>
    </div>
  );
}
