"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { type ChangeEvent, type CompositionEvent, type FormEvent, type KeyboardEvent, useEffect, useRef, useState, useTransition } from "react";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { MAIL_TEMPLATES, type MailTemplate } from "@/lib/billing/mail-template";
import { MAIL_STATUSES } from "@/lib/services/queries/outbox-search";
import { PAGE_SIZES } from "@/lib/services/queries/subscription-search-schema";
import { outboxSearchParams } from "../search-params";

const DEBOUNCE_MS = 300;

/**
 * The outbox's filters, kept in the URL (nuqs, shallow: false so the server reads the list again). The recipient box
 * follows typing after a pause and is IME-safe like the customers' search box: nothing is searched while a word is
 * composed, and the Enter that confirms a conversion does not submit. Every change starts again from page 1.
 */
export function OutboxFilters() {
  const t = useTranslations("outbox.filters");
  const tBilling = useTranslations("billing");
  const [pending, startTransition] = useTransition();
  const [state, setState] = useQueryStates(outboxSearchParams, { shallow: false, startTransition });
  const [text, setText] = useState(state.q);
  const [contract, setContract] = useState(state.contract);
  const composing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const submitted = useRef(state.q);

  useEffect(() => {
    if (state.q !== submitted.current) {
      submitted.current = state.q;
      setText(state.q);
    }
  }, [state.q]);
  // A contract id put in the URL from elsewhere (a "clear" link, the back button) shows in the box.
  const [seenContract, setSeenContract] = useState(state.contract);
  if (state.contract !== seenContract) {
    setSeenContract(state.contract);
    setContract(state.contract);
  }
  useEffect(() => () => clearTimeout(timer.current), []);

  const submit = (value: string) => {
    clearTimeout(timer.current);
    const next = value.trim();
    if (next === submitted.current) return;
    submitted.current = next;
    void setState({ q: next || null, page: null });
  };
  const later = (value: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => submit(value), DEBOUNCE_MS);
  };
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    setText(event.target.value);
    if (composing.current || (event.nativeEvent as InputEvent).isComposing) return;
    later(event.target.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter") return;
    if (composing.current || event.nativeEvent.isComposing || event.keyCode === 229) event.preventDefault();
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (composing.current) return;
    submit(text);
    const id = contract.trim();
    if (id !== state.contract) void setState({ contract: id || null, page: null });
  };

  return (
    <div className="flex flex-col gap-3">
      <form role="search" onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
        <div className="flex min-w-64 flex-1 flex-col gap-1">
          <Label htmlFor="outbox-q">{t("q")}</Label>
          <Input
            id="outbox-q"
            type="search"
            value={text}
            placeholder={t("qPlaceholder")}
            autoComplete="off"
            maxLength={200}
            onChange={onChange}
            onCompositionStart={() => {
              composing.current = true;
              clearTimeout(timer.current);
            }}
            onCompositionEnd={(event: CompositionEvent<HTMLInputElement>) => {
              composing.current = false;
              later(event.currentTarget.value);
            }}
            onKeyDown={onKeyDown}
          />
        </div>
        <div className="flex w-56 flex-col gap-1">
          <Label htmlFor="outbox-contract">{t("subscriptionId")}</Label>
          <Input id="outbox-contract" value={contract} placeholder={t("subscriptionIdPlaceholder")} autoComplete="off" maxLength={100} onChange={(e) => setContract(e.target.value)} onBlur={() => contract.trim() !== state.contract && void setState({ contract: contract.trim() || null, page: null })} />
        </div>
        <Button type="submit" variant="secondary">
          <Search className="h-4 w-4" aria-hidden />
          {t("submit")}
        </Button>
      </form>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <Label htmlFor="outbox-template">{t("template")}</Label>
          <NativeSelect id="outbox-template" value={state.template ?? ""} onChange={(e) => void setState({ template: (e.target.value || null) as MailTemplate | null, page: null })}>
            <option value="">{t("any")}</option>
            {MAIL_TEMPLATES.map((name) => (
              <option key={name} value={name}>
                {tBilling(`mailTemplate.${name}`)}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="outbox-status">{t("status")}</Label>
          <NativeSelect id="outbox-status" value={state.status ?? ""} onChange={(e) => void setState({ status: (e.target.value || null) as (typeof MAIL_STATUSES)[number] | null, page: null })}>
            <option value="">{t("any")}</option>
            {MAIL_STATUSES.map((status) => (
              <option key={status} value={status}>
                {tBilling(`mailStatus.${status}`)}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="outbox-from">{t("from")}</Label>
          <Input id="outbox-from" type="date" value={state.from} aria-describedby="outbox-date-hint" onChange={(e) => void setState({ from: e.target.value || null, page: null })} />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="outbox-to">{t("to")}</Label>
          <Input id="outbox-to" type="date" value={state.to} aria-describedby="outbox-date-hint" onChange={(e) => void setState({ to: e.target.value || null, page: null })} />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="outbox-per-page">{t("perPage")}</Label>
          <NativeSelect id="outbox-per-page" value={state.perPage} onChange={(e) => void setState({ perPage: Number(e.target.value) as (typeof PAGE_SIZES)[number], page: null })}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {t("perPageOption", { count: size })}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Link href="/console/mails" className="pb-2 text-sm font-medium text-sky-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600">
          {t("clear")}
        </Link>
        <p role="status" className="min-h-5 pb-2 text-sm text-slate-600" data-testid="outbox-search-status">
          {pending ? t("searching") : ""}
        </p>
      </div>
      <p id="outbox-date-hint" className="text-xs text-slate-600">
        {t("dateHint")}
      </p>
    </div>
  );
}
