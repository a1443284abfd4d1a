"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ConfirmActionDialog } from "@/components/console/confirm-action-dialog";
import { Button } from "@/components/ui/button";
import { Label, NativeSelect } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { STAFF_ROLES, type StaffRole } from "@/lib/auth/roles";
import type { ActionResult } from "@/lib/console/action";
import { changeStaffRoleAction } from "../actions";

/** 「権限を変更」: a dialog with the roles this staff member may give (owner only for owners), each explained. */
export function ChangeRoleButton({ staffUserId, name, role, mayGrantOwner, disabledReason }: { staffUserId: string; name: string; role: StaffRole; mayGrantOwner: boolean; disabledReason: string | null }) {
  const t = useTranslations("team.changeRole");
  const tRole = useTranslations("common.role");
  const router = useRouter();
  const id = useId();
  const [next, setNext] = useState<StaffRole>(role);

  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : t("label", { name })}>
      {t("button")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;

  const roles = STAFF_ROLES.filter((r) => r !== "owner" || mayGrantOwner);
  // The same role again changes nothing: the dialog just closes.
  const unchanged: ActionResult<{ changed: boolean }> = { ok: true, data: { changed: false } };
  return (
    <ConfirmActionDialog
      trigger={button}
      title={t("title", { name })}
      description={t("description")}
      confirmLabel={t("submit")}
      pendingLabel={t("pending")}
      onOpenChange={() => setNext(role)}
      run={async () => {
        if (next === role) return unchanged;
        const result = await changeStaffRoleAction({ staffUserId, role: next });
        return result.ok ? { ok: true, data: { changed: true } } : result;
      }}
      onDone={({ changed }) => {
        if (!changed) return;
        toast.success(t("done", { name, role: tRole(next) }));
        router.refresh();
      }}
    >
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-role`}>{t("role")}</Label>
        <NativeSelect id={`${id}-role`} value={next} onChange={(e) => setNext(e.target.value as StaffRole)} aria-describedby={`${id}-role-hint`}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {tRole(r)}
            </option>
          ))}
        </NativeSelect>
        <p id={`${id}-role-hint`} className="text-xs text-slate-600">
          {t(`explain.${next}`)}
        </p>
      </div>
    </ConfirmActionDialog>
  );
}
