"use client";

import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { type ChangeEvent, type CompositionEvent, type FormEvent, type KeyboardEvent, useEffect, useRef, useState, useTransition } from "react";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { CUSTOMER_SORTS } from "@/lib/services/queries/customer-search";
import { PAGE_SIZES } from "@/lib/services/queries/subscription-search";
import { customerSearchParams } from "../search-params";

/** Typing pauses this long before the list follows. */
const DEBOUNCE_MS = 300;

/**
 * The search box, sort and page size of /console/customers, kept in the URL (nuqs, shallow: false so the server
 * reads the list again). Japanese input goes through an IME: nothing is searched while a word is being composed, and
 * the Enter that confirms a conversion (keyCode 229 / isComposing, or any key while composing) does not submit; the
 * search runs once the composition ends.
 */
export function CustomerSearchBox() {
  const t = useTranslations("customers");
  const [pending, startTransition] = useTransition();
  const [{ q, sort, perPage }, setSearch] = useQueryStates(customerSearchParams, { shallow: false, startTransition });
  const [text, setText] = useState(q);
  const composing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The last q this box put in the URL: a different one came from elsewhere (back button, a "clear" link).
  const submitted = useRef(q);

  useEffect(() => {
    if (q !== submitted.current) {
      submitted.current = q;
      setText(q);
    }
  }, [q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const submit = (value: string) => {
    clearTimeout(timer.current);
    const next = value.trim();
    if (next === submitted.current) return;
    submitted.current = next;
    void setSearch({ q: next || null, page: null });
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
  const onCompositionStart = () => {
    composing.current = true;
    clearTimeout(timer.current);
  };
  const onCompositionEnd = (event: CompositionEvent<HTMLInputElement>) => {
    composing.current = false;
    later(event.currentTarget.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter") return;
    if (composing.current || event.nativeEvent.isComposing || event.keyCode === 229) event.preventDefault();
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!composing.current) submit(text);
  };

  return (
    <div className="flex flex-wrap items-end gap-4">
      <form role="search" onSubmit={onSubmit} className="flex min-w-72 flex-1 flex-col gap-1">
        <Label htmlFor="customer-search">{t("search.label")}</Label>
        <div className="flex gap-2">
          <Input
            id="customer-search"
            type="search"
            name="q"
            value={text}
            placeholder={t("search.placeholder")}
            aria-describedby="customer-search-hint"
            autoComplete="off"
            maxLength={200}
            onChange={onChange}
            onCompositionStart={onCompositionStart}
            onCompositionEnd={onCompositionEnd}
            onKeyDown={onKeyDown}
          />
          <Button type="submit" variant="secondary">
            <Search className="h-4 w-4" aria-hidden />
            {t("search.submit")}
          </Button>
        </div>
        <p id="customer-search-hint" className="text-xs text-slate-600">
          {t("search.hint")}
        </p>
      </form>
      <div className="flex flex-col gap-1">
        <Label htmlFor="customer-sort">{t("sort.label")}</Label>
        <NativeSelect id="customer-sort" value={sort} onChange={(e) => void setSearch({ sort: e.target.value as (typeof CUSTOMER_SORTS)[number], page: null })}>
          {CUSTOMER_SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`sort.${s}`)}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="customer-per-page">{t("perPage")}</Label>
        <NativeSelect id="customer-per-page" value={perPage} onChange={(e) => void setSearch({ perPage: Number(e.target.value) as (typeof PAGE_SIZES)[number], page: null })}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {t("perPageOption", { count: size })}
            </option>
          ))}
        </NativeSelect>
      </div>
      <p role="status" className="min-h-5 text-sm text-slate-600" data-testid="search-status">
        {pending ? t("search.searching") : ""}
      </p>
    </div>
  );
}
