"use client";

import { UserPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogProblem, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label, NativeSelect } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import { STAFF_ROLES, type StaffRole } from "@/lib/auth/roles";
import { inviteStaffAction } from "../actions";

type Field = "email" | "role";

/** 「メンバーを招待」: an address and a role (owner only for owners); the invitation goes by mail with a link to join. */
export function InviteMemberDialog({ mayGrantOwner, disabledReason }: { mayGrantOwner: boolean; disabledReason: string | null }) {
  const t = useTranslations("team.invite");
  const tRole = useTranslations("team.changeRole.explain");
  const tRoleName = useTranslations("common.role");
  const tCommon = useTranslations("common");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<StaffRole>("operator");
  const [problem, setProblem] = useState<{ field: Field | null; message: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function onOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    if (!next) {
      setEmail("");
      setRole("operator");
      setProblem(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    if (!address) return setProblem({ field: "email", message: t("emailRequired") });
    startTransition(async () => {
      const result = await inviteStaffAction({ email: address, role }).catch(() => null);
      if (!result) return setProblem({ field: null, message: tErrors("generic") });
      if (!result.ok) {
        const field = result.field === "email" || result.field === "role" ? result.field : null;
        // The only refusal naming the address is its form: said here in the page's words.
        return setProblem({ field, message: field === "email" ? t("emailInvalid") : result.message });
      }
      toast.success(t("done", { email: address }));
      setOpen(false);
      setEmail("");
      setProblem(null);
      router.refresh();
    });
  }

  const roles = STAFF_ROLES.filter((r) => r !== "owner" || mayGrantOwner);
  const button = (
    <Button disabled={disabledReason !== null}>
      <UserPlus className="h-4 w-4" aria-hidden />
      {t("button")}
    </Button>
  );
  if (disabledReason) return <DisabledReason reason={disabledReason}>{button}</DisabledReason>;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{button}</DialogTrigger>
      <DialogContent title={t("title")} description={t("description")} closeLabel={tCommon("close")}>
        <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4" aria-busy={pending} noValidate>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-email`}>{t("email")}</Label>
            <Input
              id={`${id}-email`}
              type="email"
              autoComplete="off"
              value={email}
              maxLength={320}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={problem?.field === "email" || undefined}
              aria-describedby={problem?.field === "email" ? `${id}-email-error` : undefined}
            />
            <FieldError id={`${id}-email-error`}>{problem?.field === "email" ? problem.message : null}</FieldError>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={`${id}-role`}>{t("role")}</Label>
            <NativeSelect id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as StaffRole)} aria-describedby={`${id}-role-hint`}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {tRoleName(r)}
                </option>
              ))}
            </NativeSelect>
            <p id={`${id}-role-hint`} className="text-xs text-slate-600">
              {tRole(role)}
            </p>
            <FieldError id={`${id}-role-error`}>{problem?.field === "role" ? problem.message : null}</FieldError>
          </div>
          <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
          <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("pending") : t("submit")} pending={pending} />
        </ImeSafeForm>
      </DialogContent>
    </Dialog>
  );
}
