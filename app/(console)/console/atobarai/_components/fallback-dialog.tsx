"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { Input, Label } from "@/components/ui/input";
import { ActionDialog, fieldAria, FieldProblemText } from "../../subscriptions/[id]/_components/action-dialog";
import { useOutcome } from "../../subscriptions/[id]/_components/outcome";
import type { FallbackBuyer } from "@/lib/services/send-atobarai-fallback";
import { sendAtobaraiFallbackAction } from "../actions";

/** A card's fallback on the contract page: the overdue invoice sent as a 後払い invoice (konbini, post office, bank). */
export function FallbackDialog({ subscriptionId, disabledReason, prefill }: { subscriptionId: string; disabledReason: string | null; prefill: FallbackBuyer }) {
  const t = useTranslations("atobaraiMoney.fallback");
  const outcome = useOutcome();
  const ids = { kana: useId(), phone: useId(), postalCode: useId(), address: useId() };
  const field = (name: "buyerKana" | "buyerPhone" | "postalCode" | "address", id: string, label: string, problem: Parameters<typeof fieldAria>[0], props: { defaultValue?: string; autoComplete?: string; inputMode?: "numeric" | "tel" }) => (
    <div className="flex flex-col gap-1">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={name} required {...props} {...fieldAria(problem, name)} />
      <FieldProblemText problem={problem} name={name} />
    </div>
  );
  return (
    <ActionDialog
      trigger={t("button")}
      disabledReason={disabledReason}
      title={t("heading")}
      description={t("lead")}
      submitLabel={t("submit")}
      fields={["buyerKana", "buyerPhone", "postalCode", "address"]}
      testId="atobarai-fallback-dialog"
      submit={async (form) => {
        const value = (name: string) => String(form.get(name) ?? "");
        const result = await sendAtobaraiFallbackAction({ subscriptionId, buyerKana: value("buyerKana"), buyerPhone: value("buyerPhone"), postalCode: value("postalCode"), address: value("address") });
        return outcome(result, (data) => t("done", { orderRef: data.orderRef }));
      }}
    >
      {(problem) => (
        <>
          {field("buyerKana", ids.kana, t("kana"), problem, { defaultValue: prefill.buyerKana })}
          {field("buyerPhone", ids.phone, t("phone"), problem, { defaultValue: prefill.buyerPhone, autoComplete: "tel", inputMode: "tel" })}
          {field("postalCode", ids.postalCode, t("postalCode"), problem, { defaultValue: prefill.postalCode, autoComplete: "postal-code", inputMode: "numeric" })}
          {field("address", ids.address, t("address"), problem, { defaultValue: prefill.address, autoComplete: "street-address" })}
        </>
      )}
    </ActionDialog>
  );
}
