"use client";

import { useQueryStates } from "nuqs";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { auditParsers } from "../search-params";

type Choice = { id: string; name: string };

/**
 * The audit log's filters, kept in the URL (a filtered view can be bookmarked and shared). Applied on submit, so that
 * typing an id does not search at every keystroke; a new search starts at its first page.
 */
export function AuditFilters({ members, apiKeys, actions }: { members: Choice[]; apiKeys: Choice[]; actions: { code: string; label: string }[] }) {
  const t = useTranslations("audit");
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [state, setState] = useQueryStates(auditParsers, { shallow: false, history: "push", startTransition });
  const [draft, setDraft] = useState({ actor: state.actor ?? "", action: state.action ?? "", target: state.target ?? "", from: state.from ?? "", to: state.to ?? "" });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void setState({ actor: draft.actor || null, action: draft.action || null, target: draft.target.trim() || null, from: draft.from || null, to: draft.to || null, page: null });
  }

  function clear() {
    setDraft({ actor: "", action: "", target: "", from: "", to: "" });
    void setState({ actor: null, action: null, target: null, from: null, to: null, page: null });
  }

  const actionKnown = !draft.action || actions.some((a) => a.code === draft.action);
  return (
    <ImeSafeForm onSubmit={onSubmit} aria-busy={pending} className="rounded-lg border border-slate-200 bg-white p-4">
      <fieldset className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <legend className="sr-only">{t("filters.legend")}</legend>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-actor`}>{t("filters.actor")}</Label>
          <NativeSelect id={`${id}-actor`} value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })}>
            <option value="">{t("filters.anyActor")}</option>
            <optgroup label={t("filters.actorGroups.staff")}>
              {members.map((m) => (
                <option key={m.id} value={`staff:${m.id}`}>
                  {m.name}
                </option>
              ))}
            </optgroup>
            <optgroup label={t("filters.actorGroups.apiKeys")}>
              <option value="api_key">{t("filters.allApiKeys")}</option>
              {apiKeys.map((k) => (
                <option key={k.id} value={`api_key:${k.id}`}>
                  {k.name}
                </option>
              ))}
            </optgroup>
            <optgroup label={t("filters.actorGroups.other")}>
              <option value="customer">{t("actorType.customer")}</option>
              <option value="system">{t("actorType.system")}</option>
              <option value="operator">{t("actorType.operator")}</option>
            </optgroup>
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-action`}>{t("filters.action")}</Label>
          <NativeSelect id={`${id}-action`} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
            <option value="">{t("filters.anyAction")}</option>
            {actionKnown ? null : <option value={draft.action}>{draft.action}</option>}
            {actions.map((a) => (
              <option key={a.code} value={a.code}>
                {a.label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-target`}>{t("filters.target")}</Label>
          <Input
            id={`${id}-target`}
            value={draft.target}
            maxLength={100}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setDraft({ ...draft, target: e.target.value })}
            aria-describedby={`${id}-target-hint`}
          />
          <p id={`${id}-target-hint`} className="text-xs text-slate-600">
            {t("filters.targetHint")}
          </p>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-from`}>{t("filters.from")}</Label>
          <Input id={`${id}-from`} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-to`}>{t("filters.to")}</Label>
          <Input id={`${id}-to`} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </div>
      </fieldset>
      <div className="mt-3 flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={clear} disabled={pending}>
          {t("filters.clear")}
        </Button>
        <Button type="submit" disabled={pending}>
          {t("filters.apply")}
        </Button>
      </div>
    </ImeSafeForm>
  );
}
