"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Label, NativeSelect } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { STAFF_ROLES, type StaffRole } from "@/lib/auth/roles";
import { changeStaffRoleAction } from "../actions";

/** 「権限を変更」: a dialog with the roles this staff member may give (owner only for owners), each explained. */
export function ChangeRoleButton({ staffUserId, name, role, mayGrantOwner, disabledReason }: { staffUserId: string; name: string; role: StaffRole; mayGrantOwner: boolean; disabledReason: string | null }) {
  const t = useTranslations("team.changeRole");
  const tRole = useTranslations("common.role");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [next, setNext] = useState<StaffRole>(role);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const button = (
    <Button variant="secondary" size="sm" disabled={disabledReason !== null} aria-label={disabledReason ? undefined : t("label", { name })}>
      {t("button")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (next === role) return setOpen(false);
    startTransition(async () => {
      const result = await changeStaffRoleAction({ staffUserId, role: next }).catch(() => null);
      if (!result || !result.ok) return setProblem(result?.message ?? tErrors("generic"));
      setOpen(false);
      toast.success(t("done", { name, role: tRole(next) }));
      router.refresh();
    });
  }

  const roles = STAFF_ROLES.filter((r) => r !== "owner" || mayGrantOwner);
  return (
    <Dialog
      open={open}
      onOpenChange={(value) => {
        if (pending) return;
        setOpen(value);
        setProblem(null);
        setNext(role);
      }}
    >
      <DialogTrigger asChild>{button}</DialogTrigger>
      <DialogContent title={t("title", { name })} description={t("description")} closeLabel={tCommon("close")}>
        <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending}>
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
          {problem ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
              {problem}
            </p>
          ) : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary" disabled={pending}>
                {tCommon("cancel")}
              </Button>
            </DialogClose>
            <Button type="submit" disabled={pending}>
              {pending ? t("pending") : t("submit")}
            </Button>
          </DialogFooter>
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
