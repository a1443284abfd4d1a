"use client";

import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import { useTransition } from "react";
import { Label, NativeSelect } from "@/components/ui/input";
import { mailSettingsParams } from "../search-params";

/** Whose settings are edited: the merchant's (all products) or one product's own; kept in the URL. */
export function ProductPicker({ products, value }: { products: { id: string; name: string; active: boolean }[]; value: string }) {
  const t = useTranslations("mailSettings.scope");
  const tCommon = useTranslations("common");
  const [pending, startTransition] = useTransition();
  const [, setParams] = useQueryStates(mailSettingsParams, { shallow: false, startTransition });
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="flex min-w-72 flex-col gap-1">
        <Label htmlFor="mail-scope">{t("label")}</Label>
        <NativeSelect id="mail-scope" value={value} aria-describedby="mail-scope-hint" onChange={(e) => void setParams({ product: e.target.value || null })}>
          <option value="">{t("merchant")}</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {t("product", { name: p.active ? p.name : t("inactive", { name: p.name }) })}
            </option>
          ))}
        </NativeSelect>
        <p id="mail-scope-hint" className="text-xs text-slate-600">
          {t("hint")}
        </p>
      </div>
      <p role="status" className="min-h-5 text-sm text-slate-600">
        {pending ? tCommon("loading") : ""}
      </p>
    </div>
  );
}
