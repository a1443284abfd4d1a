"use client";

import { useQueryState } from "nuqs";
import { useId, useTransition } from "react";
import { useTranslations } from "next-intl";
import { Checkbox } from "@/components/ui/checkbox";
import { contractFutureParams } from "../search-params";

/**
 * 「カードが失敗した場合」: kept in the URL (shallow: false, so the server works the forecast out again), with the
 * work in progress said aloud while the new forecast loads.
 */
export function CardFailsToggle() {
  const t = useTranslations("contractFuture");
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [cardFails, setCardFails] = useQueryState("cardFails", contractFutureParams.cardFails.withOptions({ shallow: false, scroll: false, clearOnDefault: true, startTransition }));
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <Checkbox id={id} checked={cardFails} onCheckedChange={(checked) => void setCardFails(checked === true)} aria-describedby={`${id}-hint`} data-testid="future-card-fails" />
        <label htmlFor={id} className="text-sm font-medium">
          {t("cardFails")}
        </label>
        <span role="status" className="text-xs text-slate-600">
          {pending ? t("updating") : ""}
        </span>
      </div>
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {t("cardFailsHint")}
      </p>
    </div>
  );
}
