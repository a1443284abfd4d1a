"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { ImeSafeForm } from "@/components/console/ime-safe-form";
import { Button } from "@/components/ui/button";
import { DialogProblem } from "@/components/ui/dialog";
import { FieldError, Input, Label } from "@/components/ui/input";
import { acceptInvitationAction } from "../actions";

type Field = "name" | "password" | "passwordConfirm";

/**
 * Name and password (twice): the login is made, then signed in at once; should the sign-in not go through (a
 * throttle, a lost session), the sign-in page takes over with the account's success said there.
 */
export function AcceptForm({ token, email }: { token: string; email: string }) {
  const t = useTranslations("invitation.form");
  const router = useRouter();
  const id = useId();
  const [problem, setProblem] = useState<{ field: Field | null; message: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const passwordConfirm = String(form.get("passwordConfirm") ?? "");
    if (!name) return setProblem({ field: "name", message: t("problems.name") });
    if (password.length < 8) return setProblem({ field: "password", message: t("problems.password") });
    if (password !== passwordConfirm) return setProblem({ field: "passwordConfirm", message: t("problems.passwordConfirm") });
    startTransition(async () => {
      const result = await acceptInvitationAction({ token, name, password, passwordConfirm }).catch(() => null);
      if (!result) return setProblem({ field: null, message: t("problems.generic") });
      if (!result.ok) return setProblem({ field: result.field ?? null, message: result.message });
      const signedIn = await signIn("staff", { email: result.email, password, redirect: false }).catch(() => null);
      if (signedIn?.ok && !signedIn.error) {
        router.replace("/console");
      } else {
        router.replace("/console/sign-in?joined=1");
      }
      router.refresh();
    });
  }

  const fieldProps = (field: Field) => ({
    "aria-invalid": problem?.field === field || undefined,
    "aria-describedby": problem?.field === field ? `${id}-${field}-error` : field === "password" ? `${id}-password-hint` : undefined,
  });

  return (
    <ImeSafeForm onSubmit={onSubmit} className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-busy={pending} data-testid="accept-invitation">
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-email`}>{t("email")}</Label>
        <Input id={`${id}-email`} name="email" type="email" autoComplete="username" value={email} readOnly />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-name`}>{t("name")}</Label>
        <Input id={`${id}-name`} name="name" autoComplete="name" maxLength={200} required {...fieldProps("name")} />
        <FieldError id={`${id}-name-error`}>{problem?.field === "name" ? problem.message : null}</FieldError>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-password`}>{t("password")}</Label>
        <Input id={`${id}-password`} name="password" type="password" autoComplete="new-password" minLength={8} maxLength={1024} required {...fieldProps("password")} />
        <p id={`${id}-password-hint`} className="text-xs text-slate-600">
          {t("passwordHint")}
        </p>
        <FieldError id={`${id}-password-error`}>{problem?.field === "password" ? problem.message : null}</FieldError>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-passwordConfirm`}>{t("passwordConfirm")}</Label>
        <Input id={`${id}-passwordConfirm`} name="passwordConfirm" type="password" autoComplete="new-password" maxLength={1024} required {...fieldProps("passwordConfirm")} />
        <FieldError id={`${id}-passwordConfirm-error`}>{problem?.field === "passwordConfirm" ? problem.message : null}</FieldError>
      </div>
      <DialogProblem>{problem?.field === null ? problem.message : null}</DialogProblem>
      <Button type="submit" disabled={pending}>
        {pending ? t("pending") : t("submit")}
      </Button>
    </ImeSafeForm>
  );
}
