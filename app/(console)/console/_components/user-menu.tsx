"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";
import { LocaleSwitch } from "@/components/locale-switch";

export function UserMenu({ name, roleLabel, merchantName }: { name: string; roleLabel: string; merchantName: string }) {
  const t = useTranslations("console");
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <span className="text-slate-600">
        <span className="sr-only">{t("merchant")}: </span>
        {merchantName}
      </span>
      <span className="text-slate-800" data-testid="signed-in-as">
        {t("signedInAs", { name, role: roleLabel })}
      </span>
      <LocaleSwitch />
      <Button variant="secondary" size="sm" onClick={() => void signOut({ callbackUrl: "/console/sign-in?signedOut=1" })}>
        <LogOut className="h-4 w-4" aria-hidden />
        {t("signOut")}
      </Button>
    </div>
  );
}
