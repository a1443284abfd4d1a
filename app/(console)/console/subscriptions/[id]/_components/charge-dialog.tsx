"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Input, Label } from "@/components/ui/input";
import { formatMoney, parseMoneyInput } from "@/lib/billing/money";
import { DATE_FORMAT } from "@/lib/i18n/formats";
import type { ContractActions } from "@/lib/services/queries/contract-actions";
import { chargeContract } from "../actions";
import { ActionDialog, fieldAria, FieldProblemText } from "./action-dialog";
import { CheckboxField } from "./checkbox-field";
import { useOutcome } from "./outcome";

/**
 * An extra charge to the card on file (追加請求): amount, what it is for, extend the paid-through date, send the
 * receipt. The card-on-file window is the service's to judge: the dialog says when the last payment was, and a
 * refusal comes back as its own message.
 */
export function ChargeDialog({
  subscriptionId,
  availability,
  disabledReason,
  currency,
  cardLabel,
  lastPaymentAt,
  windowDays,
}: {
  subscriptionId: string;
  availability: ContractActions["chargeAdditional"];
  disabledReason: string | null;
  currency: string;
  cardLabel: string;
  lastPaymentAt: string | null;
  windowDays: number;
}) {
  const t = useTranslations("subscription");
  const format = useFormatter();
  const outcome = useOutcome();
  const [requestKey, setRequestKey] = useState("");
  const amountId = useId();
  const amountHintId = useId();
  const textId = useId();
  return (
    <ActionDialog
      trigger={t("actions.charge")}
      disabledReason={disabledReason}
      title={t("dialog.charge.title")}
      description={t("dialog.charge.description", { card: cardLabel })}
      submitLabel={t("dialog.charge.submit")}
      fields={["amount", "description"]}
      // One key per opened dialog: pressing submit twice (or again after a lost answer) charges once.
      onOpenChange={(open) => open && setRequestKey(crypto.randomUUID())}
      submit={async (form) => {
        const amount = parseMoneyInput(String(form.get("amount") ?? ""), currency);
        if (!amount || amount < 1) return { problem: t("dialog.charge.amountInvalid"), field: "amount" };
        const result = await chargeContract({
          subscriptionId,
          amount,
          description: String(form.get("description") ?? "").trim(),
          extendPaidThrough: form.get("extendPaidThrough") === "on",
          sendMail: form.get("sendMail") === "on",
          requestKey,
        });
        return outcome(result, () => t("dialog.charge.paid", { amount: formatMoney({ amount, currency }) }));
      }}
    >
      {(problem) => (
        <>
          <p className="rounded-md bg-slate-50 p-3 text-sm text-slate-700">
            {lastPaymentAt
              ? t("dialog.charge.window", { date: format.dateTime(new Date(lastPaymentAt), DATE_FORMAT), days: windowDays })
              : t("dialog.charge.windowNever")}
          </p>
          <div className="flex flex-col gap-1">
            <Label htmlFor={amountId}>{t("dialog.charge.amount")}</Label>
            <Input id={amountId} name="amount" inputMode="numeric" autoComplete="off" required {...fieldAria(problem, "amount", amountHintId)} />
            <p id={amountHintId} className="text-xs text-slate-600">
              {t("dialog.charge.amountHint", { currency: currency.toUpperCase() })}
            </p>
            <FieldProblemText problem={problem} name="amount" />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={textId}>
              {t("dialog.charge.text")} <span className="font-normal text-slate-600">{t("dialog.optional")}</span>
            </Label>
            <Input id={textId} name="description" maxLength={500} placeholder={t("dialog.charge.textPlaceholder")} {...fieldAria(problem, "description")} />
            <FieldProblemText problem={problem} name="description" />
          </div>
          {availability.extendPaidThrough ? <CheckboxField name="extendPaidThrough" label={t("dialog.charge.extend")} hint={t("dialog.charge.extendHint")} /> : null}
          <CheckboxField name="sendMail" label={t("dialog.charge.sendMail")} defaultChecked />
        </>
      )}
    </ActionDialog>
  );
}
