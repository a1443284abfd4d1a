"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Input, Label, Textarea } from "@/components/ui/input";
import { currencyExponent, formatMoney, parseMoneyInput } from "@/lib/billing/money";
import { refundContractInvoice } from "../actions";
import { ActionDialog, fieldAria, FieldProblemText } from "./action-dialog";
import { useOutcome } from "./outcome";

/** Money back on a paid invoice: by default all that is left, with a reason. */
export function RefundDialog({
  subscriptionId,
  invoice,
  disabledReason,
  issuedLabel,
}: {
  subscriptionId: string;
  invoice: { id: string; total: number; currency: string; refundable: number };
  disabledReason: string | null;
  issuedLabel: string;
}) {
  const t = useTranslations("subscription");
  const outcome = useOutcome();
  const [requestKey, setRequestKey] = useState("");
  const amountId = useId();
  const hintId = useId();
  const reasonId = useId();
  const left = formatMoney({ amount: invoice.refundable, currency: invoice.currency });
  // The amount field shows major units, as typed: ¥1,500 is "1500", $12.50 is "12.50".
  const leftText = (invoice.refundable / 10 ** currencyExponent(invoice.currency)).toFixed(currencyExponent(invoice.currency));
  return (
    <ActionDialog
      trigger={t("actions.refund")}
      triggerLabel={t("actions.refundOf", { date: issuedLabel })}
      disabledReason={disabledReason}
      title={t("dialog.refund.title")}
      description={t("dialog.refund.description", { date: issuedLabel, total: formatMoney({ amount: invoice.total, currency: invoice.currency }) })}
      submitLabel={t("dialog.refund.submit")}
      submitVariant="danger"
      fields={["amount", "reason"]}
      // One key per opened dialog: a double submit refunds once.
      onOpenChange={(open) => open && setRequestKey(crypto.randomUUID())}
      submit={async (form) => {
        const amount = parseMoneyInput(String(form.get("amount") ?? ""), invoice.currency);
        if (!amount || amount > invoice.refundable) return { problem: t("dialog.refund.amountInvalid", { left }), field: "amount" };
        const result = await refundContractInvoice({ subscriptionId, invoiceId: invoice.id, amount, reason: String(form.get("reason") ?? "").trim(), requestKey });
        return outcome(result, () => t("dialog.refund.done", { amount: formatMoney({ amount, currency: invoice.currency }) }));
      }}
    >
      {(problem) => (
        <>
          <div className="flex flex-col gap-1">
            <Label htmlFor={amountId}>{t("dialog.refund.amount")}</Label>
            <Input id={amountId} name="amount" inputMode="decimal" autoComplete="off" required defaultValue={leftText} {...fieldAria(problem, "amount", hintId)} />
            <p id={hintId} className="text-xs text-slate-600">
              {t("dialog.refund.amountHint", { left })}
            </p>
            <FieldProblemText problem={problem} name="amount" />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={reasonId}>
              {t("dialog.refund.reason")} <span className="font-normal text-slate-600">{t("dialog.optional")}</span>
            </Label>
            <Textarea id={reasonId} name="reason" maxLength={500} rows={2} {...fieldAria(problem, "reason")} />
            <FieldProblemText problem={problem} name="reason" />
          </div>
        </>
      )}
    </ActionDialog>
  );
}
