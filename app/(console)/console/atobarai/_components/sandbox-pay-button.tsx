"use client";

import { Banknote } from "lucide-react";
import { useTranslations } from "next-intl";
import { ServerActionButton } from "@/components/console/server-action-button";
import { sandboxPaymentAction } from "../payments/actions";

/** 「テスト入金」 for a test order's page (sandbox): pays what is left, as a konbini payment would. */
export function SandboxPayButton({ orderId, disabledReason }: { orderId: string; disabledReason: string | null }) {
  const t = useTranslations("atobaraiMoney.sandbox");
  return (
    <ServerActionButton run={() => sandboxPaymentAction({ orderId })} label={t("button")} pendingLabel={t("pending")} done={t("done")} icon={Banknote} disabledReason={disabledReason} variant="secondary" testId="atobarai-sandbox-pay" />
  );
}
