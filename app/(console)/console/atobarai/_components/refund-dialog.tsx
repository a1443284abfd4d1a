"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Input, Label, NativeSelect, Textarea } from "@/components/ui/input";
import { formatMoney, parseMoneyInput } from "@/lib/billing/money";
import { ActionDialog, fieldAria, FieldProblemText } from "../../subscriptions/[id]/_components/action-dialog";
import { useOutcome } from "../../subscriptions/[id]/_components/outcome";
import { recordRefundAction } from "../actions";

const METHODS = ["bank_transfer", "cash", "other"] as const;

/** 「返金を記録する」 on an order owing money back: the amount (what is owed, by default), how it went back, a note. */
export function RefundDialog({ orderId, owed, disabledReason }: { orderId: string; owed: number; disabledReason: string | null }) {
  const t = useTranslations("atobarai.refund");
  const outcome = useOutcome();
  const [requestKey, setRequestKey] = useState("");
  const ids = { amount: useId(), hint: useId(), method: useId(), note: useId() };
  const yen = (amount: number) => formatMoney({ amount, currency: "JPY" });
  return (
    <ActionDialog
      trigger={t("button")}
      triggerVariant="primary"
      disabledReason={disabledReason}
      title={t("title")}
      description={t("description", { amount: yen(owed) })}
      submitLabel={t("submit")}
      fields={["amount", "method", "note"]}
      testId="atobarai-refund-dialog"
      // One key per opened dialog: a double submit records the refund once.
      onOpenChange={(open) => open && setRequestKey(crypto.randomUUID())}
      submit={async (form) => {
        const amount = parseMoneyInput(String(form.get("amount") ?? ""), "JPY");
        if (!amount || amount > owed) return { problem: t("amountInvalid", { amount: yen(owed) }), field: "amount" };
        const method = String(form.get("method") ?? "bank_transfer") as (typeof METHODS)[number];
        const result = await recordRefundAction({ orderId, amount, method, note: String(form.get("note") ?? ""), requestKey });
        return outcome(result, (data) => t("done", { amount: yen(data.amount) }));
      }}
    >
      {(problem) => (
        <>
          <div className="flex flex-col gap-1">
            <Label htmlFor={ids.amount}>{t("amount")}</Label>
            <Input id={ids.amount} name="amount" inputMode="numeric" autoComplete="off" required defaultValue={String(owed)} {...fieldAria(problem, "amount", ids.hint)} />
            <p id={ids.hint} className="text-xs text-slate-600">
              {t("amountHint", { amount: yen(owed) })}
            </p>
            <FieldProblemText problem={problem} name="amount" />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={ids.method}>{t("method")}</Label>
            <NativeSelect id={ids.method} name="method" defaultValue="bank_transfer" {...fieldAria(problem, "method")}>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {t(`methods.${m}`)}
                </option>
              ))}
            </NativeSelect>
            <FieldProblemText problem={problem} name="method" />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={ids.note}>
              {t("note")} <span className="font-normal text-slate-600">{t("optional")}</span>
            </Label>
            <Textarea id={ids.note} name="note" maxLength={500} rows={2} {...fieldAria(problem, "note")} />
            <FieldProblemText problem={problem} name="note" />
          </div>
        </>
      )}
    </ActionDialog>
  );
}
