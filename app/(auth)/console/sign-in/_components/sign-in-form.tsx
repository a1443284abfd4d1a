"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";
import { LocaleSwitch } from "@/components/locale-switch";

/** Email and password through next-auth's credentials endpoint; one message for every refusal. */
export function SignInForm({ callbackPath }: { callbackPath: string }) {
  const t = useTranslations("signIn");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const errorId = useId();

  // onSubmit rather than a form action: React resets a form after its action, and a refused sign-in should keep the email.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError(t("required"));
      return;
    }
    startTransition(async () => {
      const result = await signIn("staff", { email, password, redirect: false });
      if (!result || result.error || !result.ok) {
        setError(t("failed"));
        return;
      }
      router.replace(callbackPath);
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <div className="flex flex-col gap-1">
        <Label htmlFor="email">{t("email")}</Label>
        <Input id="email" name="email" type="email" autoComplete="username" required aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="password">{t("password")}</Label>
        <Input id="password" name="password" type="password" autoComplete="current-password" required aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} />
      </div>
      <FieldError id={errorId}>{error}</FieldError>
      <Button type="submit" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
      <LocaleSwitch />
    </form>
  );
}
