"use client";

import { useTranslations } from "next-intl";
import { parseAsString, useQueryState } from "nuqs";
import { type FormEvent, useState, useTransition } from "react";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { ImeSafeForm } from "@/components/console/ime-safe-form";

/** Part of an address to find on the suppression list; submitted with Enter or the button, kept in the URL. */
export function SuppressionSearch({ initial }: { initial: string }) {
  const t = useTranslations("outbox");
  const [pending, startTransition] = useTransition();
  const [, setQ] = useQueryState("q", parseAsString.withDefault("").withOptions({ shallow: false, startTransition, clearOnDefault: true }));
  const [text, setText] = useState(initial);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void setQ(text.trim() || null);
  }
  return (
    <ImeSafeForm role="search" onSubmit={onSubmit} className="flex max-w-xl flex-col gap-1">
      <Label htmlFor="suppression-q">{t("suppressions.q")}</Label>
      <div className="flex gap-2">
        <Input id="suppression-q" type="search" value={text} autoComplete="off" maxLength={200} onChange={(e) => setText(e.target.value)} />
        <Button type="submit" variant="secondary">
          <Search className="h-4 w-4" aria-hidden />
          {t("filters.submit")}
        </Button>
      </div>
      <p role="status" className="min-h-5 text-sm text-slate-600">
        {pending ? t("filters.searching") : ""}
      </p>
    </ImeSafeForm>
  );
}
