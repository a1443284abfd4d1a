"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Label, NativeSelect } from "@/components/ui/input";
import type { CustomerMailTemplate } from "@/lib/billing/mail-template";
import { type PreviewView, previewMailWording } from "../actions";
import { useProblemText } from "./problem-text";

type Props = {
  template: CustomerMailTemplate;
  /** The editor's wording now (unsaved). */
  wording(): { subject: string | null; body: string | null };
  contracts: { id: string; customer: string; plan: string }[];
  contractId: string;
  onContractChange(contractId: string): void;
};

/**
 * The mail as a customer would get it, rendered on the server with the editor's unsaved wording and a chosen
 * contract's values (or samples): the HTML in a sandboxed frame (no scripts, no access to the console) and the text.
 */
export function MailPreview({ template, wording, contracts, contractId, onContractChange }: Props) {
  const t = useTranslations("mailSettings.preview");
  const problemText = useProblemText();
  const selectId = useId();
  const [pending, startTransition] = useTransition();
  const [view, setView] = useState<PreviewView | null>(null);
  const [error, setError] = useState<string | null>(null);

  function refresh(subscriptionId = contractId) {
    startTransition(async () => {
      const result = await previewMailWording({ template, override: wording(), subscriptionId: subscriptionId || null }).catch(() => null);
      if (!result || !result.ok) {
        setError(result ? result.message : null);
        return;
      }
      setError(null);
      setView(result.data);
    });
  }
  // The saved wording is shown at once; later edits show on "update".
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => refresh(), []);

  return (
    <Card aria-labelledby="mail-preview-title" data-testid="mail-preview">
      <CardTitle id="mail-preview-title">{t("heading")}</CardTitle>
      <div className="mb-3 flex flex-wrap items-end gap-3">
        <div className="flex min-w-72 flex-col gap-1">
          <Label htmlFor={selectId}>{t("contract")}</Label>
          <NativeSelect
            id={selectId}
            value={contractId}
            onChange={(e) => {
              onContractChange(e.target.value);
              refresh(e.target.value);
            }}
          >
            <option value="">{t("sample")}</option>
            {contracts.map((c) => (
              <option key={c.id} value={c.id}>
                {t("contractOption", { customer: c.customer, plan: c.plan, id: c.id })}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="button" variant="secondary" onClick={() => refresh()} disabled={pending}>
          {pending ? t("loading") : t("refresh")}
        </Button>
        <p role="status" className="min-h-5 text-xs text-slate-600">
          {pending ? t("loading") : view ? t("unsavedNote") : ""}
        </p>
      </div>
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {view ? (
        <div className="flex flex-col gap-3">
          {view.problems.length > 0 ? (
            <ul className="flex flex-col gap-0.5 text-sm text-amber-900" data-testid="preview-problems">
              {view.problems.map((p, i) => (
                <li key={i}>{problemText(p)}</li>
              ))}
            </ul>
          ) : null}
          <div>
            <h3 className="text-sm font-semibold text-slate-800">{t("subject")}</h3>
            <p className="text-sm" data-testid="preview-subject">
              {view.subject}
            </p>
          </div>
          <div>
            <h3 className="mb-1 text-sm font-semibold text-slate-800">{t("html")}</h3>
            <iframe title={t("frameTitle")} sandbox="" srcDoc={view.html} className="h-80 w-full rounded-md border border-slate-200 bg-white" data-testid="preview-html" />
          </div>
          <div>
            <h3 className="mb-1 text-sm font-semibold text-slate-800">{t("text")}</h3>
            <pre className="max-h-80 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 text-sm whitespace-pre-wrap" data-testid="preview-text" tabIndex={0}>
              {view.text}
            </pre>
          </div>
        </div>
      ) : (
        <p className="text-sm text-slate-600">{t("empty")}</p>
      )}
    </Card>
  );
}
