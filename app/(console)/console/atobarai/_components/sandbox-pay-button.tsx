"use client";

import { Banknote } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { DisabledReason } from "@/components/ui/tooltip";
import { sandboxPaymentAction } from "../payments/actions";

/** 「テスト入金」 for a test order's page (sandbox): pays what is left, as a konbini payment would. */
export function SandboxPayButton({ orderId, disabledReason }: { orderId: string; disabledReason: string | null }) {
  const t = useTranslations("atobaraiMoney.sandbox");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const run = () =>
    startTransition(async () => {
      const result = await sandboxPaymentAction({ orderId }).catch(() => null);
      if (!result) return void toast.error(tErrors("generic"));
      if (!result.ok) return void toast.error(result.message);
      toast.success(t("done"));
      router.refresh();
    });
  return (
    <DisabledReason reason={disabledReason}>
      <Button variant="secondary" onClick={run} disabled={disabledReason !== null || pending} aria-busy={pending} data-testid="atobarai-sandbox-pay">
        <Banknote className="h-4 w-4" aria-hidden />
        {pending ? t("pending") : t("button")}
      </Button>
    </DisabledReason>
  );
}
