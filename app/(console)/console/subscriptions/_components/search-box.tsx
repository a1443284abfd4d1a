"use client";

import { Search, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { type ChangeEvent, type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";

const DEBOUNCE_MS = 400;

/**
 * Free-text search that is safe with a Japanese input method (IME). While a conversion is open
 * (compositionstart … compositionend, or an event marked isComposing) nothing is searched: the text is not yet
 * what the person means. The Enter that confirms a conversion is part of the conversion, not a request to search
 * (Chrome marks that keydown as composing; Safari sends compositionend first, so an Enter right after it is ignored
 * too). Otherwise the search runs when typing pauses, or at once on Enter.
 */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const t = useTranslations("subscriptions.search");
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  const composing = useRef(false);
  const compositionEndedAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const searched = useRef(value);

  // The URL's text changed under us (Back, a saved search): show it.
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  useEffect(() => () => cancel(), []);

  function cancel() {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }
  function commit(next: string) {
    cancel();
    const q = next.trim();
    if (q === searched.current && q === value) return;
    searched.current = q;
    onSearch(q);
  }
  function schedule(next: string) {
    cancel();
    timer.current = setTimeout(() => commit(next), DEBOUNCE_MS);
  }

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    setText(event.target.value);
    if (composing.current || (event.nativeEvent as InputEvent).isComposing) return;
    schedule(event.target.value);
  }
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== "Enter") return;
    const confirmsConversion = composing.current || event.nativeEvent.isComposing || event.keyCode === 229 || Date.now() - compositionEndedAt.current < 50;
    // The form must not submit either way: a conversion's Enter is swallowed, a real one searches here.
    event.preventDefault();
    if (!confirmsConversion) commit(event.currentTarget.value);
  }
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!composing.current) commit(text);
  }

  return (
    <form role="search" onSubmit={onSubmit} className="flex min-w-72 flex-1 flex-col gap-1 sm:max-w-lg">
      <Label htmlFor="subscription-search">{t("label")}</Label>
      <div className="flex gap-2">
        <div className="relative flex-1">
          <Search className="pointer-events-none absolute top-3 left-3 h-4 w-4 text-slate-500" aria-hidden />
          <Input
            id="subscription-search"
            type="search"
            className="pl-9"
            value={text}
            placeholder={t("placeholder")}
            aria-describedby="subscription-search-hint"
            autoComplete="off"
            onChange={onChange}
            onKeyDown={onKeyDown}
            onCompositionStart={() => {
              composing.current = true;
              cancel();
            }}
            onCompositionEnd={(event) => {
              composing.current = false;
              compositionEndedAt.current = Date.now();
              schedule(event.currentTarget.value);
            }}
          />
        </div>
        {text ? (
          <Button variant="ghost" size="icon" className="h-10 w-10" aria-label={t("clear")} onClick={() => (setText(""), commit(""))}>
            <X className="h-4 w-4" aria-hidden />
          </Button>
        ) : null}
        <Button type="submit" variant="secondary">
          {t("submit")}
        </Button>
      </div>
      <p id="subscription-search-hint" className="text-xs text-slate-600">
        {t("hint")}
      </p>
    </form>
  );
}
