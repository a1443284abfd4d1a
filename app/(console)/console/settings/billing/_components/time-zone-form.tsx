"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Label, NativeSelect } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { saveTimeZone } from "../actions";

/** The merchant's IANA time zone, changed after a dialog that says what it changes and what it leaves. */
export function TimeZoneForm({ initial, zones, readOnlyReason }: { initial: string; zones: string[]; readOnlyReason: string | null }) {
  const t = useTranslations("billingSettings.timeZone");
  const router = useRouter();
  const [zone, setZone] = useState(initial);
  const id = useId();
  const disabled = readOnlyReason !== null;
  const changeReason = readOnlyReason ?? (zone === initial ? t("unchanged") : null);

  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardTitle id={`${id}-title`}>{t("heading")}</CardTitle>
      <p className="mb-3 text-sm text-slate-600">{t("lead")}</p>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <Label htmlFor={`${id}-zone`}>{t("label")}</Label>
          <NativeSelect id={`${id}-zone`} className="w-72" value={zone} disabled={disabled} onChange={(e) => setZone(e.target.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </NativeSelect>
        </div>
        {changeReason ? (
          <DisabledReason reason={changeReason}>
            <Button disabled>{t("change")}</Button>
          </DisabledReason>
        ) : (
          <ConfirmActionDialog
            trigger={<Button>{t("change")}</Button>}
            title={t("confirmTitle", { zone })}
            description={t("confirmBody")}
            confirmLabel={t("confirm")}
            run={() => saveTimeZone({ timeZone: zone })}
            onDone={(data) => {
              toast.success(t("saved", { zone: data.timeZone }));
              router.refresh();
            }}
          />
        )}
      </div>
    </Card>
  );
}
