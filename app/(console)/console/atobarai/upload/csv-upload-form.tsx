"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { type UploadOutcome, uploadCsvAction } from "../actions";

/**
 * A CSV upload (orders or tracking numbers): every row is checked first; with any refused, nothing is written and the
 * rows are listed — unless the merchant ticks 「正しい行だけ登録する」 explicitly.
 */
export function CsvUploadForm({ kind, columns, disabled }: { kind: "orders" | "shipments"; columns: string; disabled: boolean }) {
  const t = useTranslations("atobarai.upload");
  const tErrors = useTranslations("errors");
  const id = useId();
  const [outcome, setOutcome] = useState<UploadOutcome | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    form.set("kind", kind);
    startTransition(async () => {
      const result = await uploadCsvAction(form).catch(() => null);
      if (!result) return setProblem(tErrors("generic"));
      if (!result.ok) {
        setOutcome(null);
        return setProblem(result.message);
      }
      setProblem(null);
      setOutcome(result.data);
      if (result.data.done.length > 0) toast.success(t(`${kind}.done`, { count: result.data.done.length }));
    });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {t(`${kind}.title`)}
      </h2>
      <p className="text-sm text-slate-700">{t(`${kind}.lead`)}</p>
      <p className="text-xs text-slate-600">
        {t("columns")}：<code className="break-all">{columns}</code>
      </p>
      <div className="flex flex-col gap-1">
        <Label htmlFor={`${id}-file`}>{t("file")}</Label>
        <Input id={`${id}-file`} name="file" type="file" accept=".csv,text/csv" required disabled={disabled} />
      </div>
      <div className="flex items-center gap-2">
        <input id={`${id}-valid`} name="validOnly" type="checkbox" className="h-4 w-4" disabled={disabled} />
        <Label htmlFor={`${id}-valid`} className="font-normal">
          {t("validOnly")}
        </Label>
      </div>
      <div>
        <Button type="submit" disabled={pending || disabled}>
          {pending ? t("pending") : t("submit")}
        </Button>
      </div>
      {problem ? (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      ) : null}
      {outcome ? (
        <div role="status" className="flex flex-col gap-2">
          <p className="text-sm">
            {outcome.errors.length > 0 && outcome.done.length === 0 ? t("nothingWritten", { errors: outcome.errors.length }) : t(`${kind}.summary`, { count: outcome.done.length, errors: outcome.errors.length })}
          </p>
          {outcome.errors.length > 0 ? (
            <Table>
              <caption className="sr-only">{t("errorsCaption")}</caption>
              <THead>
                <TR>
                  <TH scope="col">{t("line")}</TH>
                  <TH scope="col">{t("problem")}</TH>
                </TR>
              </THead>
              <TBody>
                {outcome.errors.map((e, i) => (
                  <TR key={i}>
                    <TD className="tabular-nums">{e.line}</TD>
                    <TD>{e.message}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
