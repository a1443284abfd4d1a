"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { type FormEvent, useState, useTransition } from "react";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { GATEWAY_EVENT_STATUSES } from "@/lib/services/queries/gateway-event-search";
import { gatewayEventSearchParams, STRIPE_EVENTS_PATH } from "../search-params";

/**
 * The received events' filters, kept in the URL (nuqs, shallow: false so the server reads the list again). The id box
 * searches on submit (an id is pasted, not typed word by word); status and type apply at once. Every change starts
 * again from the newest event.
 */
export function EventFilters({ types }: { types: readonly string[] }) {
  const t = useTranslations("gatewayEvents");
  const [pending, startTransition] = useTransition();
  const [state, setState] = useQueryStates(gatewayEventSearchParams, { shallow: false, startTransition });
  const [text, setText] = useState(state.q);
  // A search put in the URL from elsewhere (the "clear" link, the back button) shows in the box.
  const [seen, setSeen] = useState(state.q);
  if (state.q !== seen) {
    setSeen(state.q);
    setText(state.q);
  }
  const options = state.type && !types.includes(state.type) ? [...types, state.type] : types;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void setState({ q: text.trim() || null, after: null });
  };

  return (
    <div className="flex flex-wrap items-end gap-3">
      <form role="search" onSubmit={onSubmit} className="flex min-w-64 flex-1 items-end gap-2">
        <div className="flex flex-1 flex-col gap-1">
          <Label htmlFor="gateway-events-q">{t("filters.q")}</Label>
          <Input id="gateway-events-q" type="search" value={text} placeholder={t("filters.qPlaceholder")} autoComplete="off" spellCheck={false} maxLength={200} onChange={(e) => setText(e.target.value)} />
        </div>
        <Button type="submit" variant="secondary">
          <Search className="h-4 w-4" aria-hidden />
          {t("filters.submit")}
        </Button>
      </form>
      <div className="flex flex-col gap-1">
        <Label htmlFor="gateway-events-status">{t("filters.status")}</Label>
        <NativeSelect id="gateway-events-status" value={state.status ?? ""} onChange={(e) => void setState({ status: (e.target.value || null) as (typeof GATEWAY_EVENT_STATUSES)[number] | null, after: null })}>
          <option value="">{t("filters.any")}</option>
          {GATEWAY_EVENT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="gateway-events-type">{t("filters.type")}</Label>
        <NativeSelect id="gateway-events-type" value={state.type} onChange={(e) => void setState({ type: e.target.value || null, after: null })}>
          <option value="">{t("filters.any")}</option>
          {options.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </NativeSelect>
      </div>
      <Link href={STRIPE_EVENTS_PATH} className="pb-2 text-sm font-medium text-sky-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600">
        {t("filters.clear")}
      </Link>
      <p role="status" className="min-h-5 pb-2 text-sm text-slate-600">
        {pending ? t("filters.searching") : ""}
      </p>
    </div>
  );
}
