"use client";

import { Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMoney } from "@/lib/billing/money";
import type { PaymentImportResult } from "@/lib/services/atobarai-payments";
import { importPaymentNoticesAction } from "../actions";

/** The payment-notice upload: a file, then what was recorded, what was there already, and each refused row. */
export function ImportForm() {
  const t = useTranslations("atobaraiMoney.payments");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const fileId = useId();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<PaymentImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = (form: FormData) =>
    startTransition(async () => {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) return void setError(t("noFile"));
      setError(null);
      const answer = await importPaymentNoticesAction(form).catch(() => null);
      if (!answer) return void toast.error(tErrors("generic"));
      if (!answer.ok) return void setError(answer.message);
      setResult(answer.data);
      toast.success(t("result.summary", { recorded: answer.data.recorded, duplicates: answer.data.duplicates, refused: answer.data.refused }));
      router.refresh();
    });
  return (
    <>
      <Card aria-labelledby="payment-import-title">
        <CardTitle id="payment-import-title">{t("upload")}</CardTitle>
        <p className="mb-3 text-sm text-slate-700">{t("columns")}</p>
        <form action={submit} className="flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor={fileId} className="text-sm font-medium">
              {t("file")}
            </label>
            <input
              id={fileId}
              name="file"
              type="file"
              accept=".csv,text/csv"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${fileId}-error` : undefined}
              className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm"
            />
          </div>
          <Button type="submit" disabled={pending} aria-busy={pending}>
            <Upload className="h-4 w-4" aria-hidden />
            {pending ? t("pending") : t("submit")}
          </Button>
        </form>
        {error ? (
          <p id={`${fileId}-error`} role="alert" className="mt-2 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </Card>
      {result ? (
        <Card aria-labelledby="payment-import-result" data-testid="payment-import-result">
          <CardTitle id="payment-import-result">{t("result.heading")}</CardTitle>
          <p className="text-sm" role="status">
            {t("result.summary", { recorded: result.recorded, duplicates: result.duplicates, refused: result.refused })}
          </p>
          {result.errors.length > 0 ? (
            <>
              <h3 className="mt-4 mb-2 text-sm font-semibold">{t("result.errorsHeading")}</h3>
              <Table data-testid="payment-import-errors">
                <THead>
                  <TR>
                    <TH scope="col">{t("result.row")}</TH>
                    <TH scope="col">{t("result.message")}</TH>
                  </TR>
                </THead>
                <TBody>
                  {result.errors.map((e) => (
                    <TR key={`${e.row}-${e.code}`}>
                      <TD className="tabular-nums">{e.row}</TD>
                      <TD>{t(`rowErrors.${e.code}`, { value: e.value ?? "" })}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </>
          ) : null}
          {result.refundsOwed.length > 0 ? (
            <>
              <h3 className="mt-4 mb-2 text-sm font-semibold">{t("result.refundsHeading")}</h3>
              <Table data-testid="payment-import-refunds">
                <THead>
                  <TR>
                    <TH scope="col">{t("result.refundOrder")}</TH>
                    <TH scope="col">{t("result.refundAmount")}</TH>
                  </TR>
                </THead>
                <TBody>
                  {result.refundsOwed.map((r) => (
                    <TR key={r.orderId}>
                      <TD>
                        <a className="text-sky-800 underline underline-offset-2" href={`/console/atobarai/orders/${r.orderId}`}>
                          {r.orderId}
                        </a>
                      </TD>
                      <TD className="tabular-nums">{formatMoney({ amount: r.amount, currency: "JPY" })}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </>
          ) : null}
        </Card>
      ) : null}
    </>
  );
}
