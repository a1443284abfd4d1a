"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { DateText } from "@/components/console/date-text";
import { Dialog, DialogActions, DialogContent, DialogProblem } from "@/components/ui/dialog";
import type { CollectionPreview } from "../actions";

type Step = NonNullable<CollectionPreview["example"]>["before"][number];

/**
 * The confirm step before the retry and dunning settings are saved: how many contracts would be re-planned, and one
 * of them before and after, dated in the merchant's time zone, with a link to the contract.
 */
export function CollectionPreviewDialog({
  preview,
  open,
  onOpenChange,
  onConfirm,
  pending,
  problem,
}: {
  preview: CollectionPreview | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
  pending: boolean;
  problem: string | null;
}) {
  const t = useTranslations("billingSettings.collection");
  const tCommon = useTranslations("common");
  const tBilling = useTranslations("billing");
  const example = preview?.example ?? null;

  const steps = (list: Step[], testId: string) =>
    list.length === 0 ? (
      <p className="text-sm text-slate-600" data-testid={testId}>
        {t("noSteps")}
      </p>
    ) : (
      <ol className="flex flex-col gap-1 text-sm" data-testid={testId}>
        {list.map((step, i) => (
          <li key={i} className="flex flex-wrap gap-x-2">
            <DateText value={step.dueAt} withTime />
            <span>{tCommon.has(`actionKind.${step.kind}` as "actionKind.retry") ? tCommon(`actionKind.${step.kind}` as "actionKind.retry") : step.kind}</span>
            {step.template ? <span>（{tBilling(`mailTemplate.${step.template}`)}）</span> : null}
          </li>
        ))}
      </ol>
    );

  return (
    <Dialog open={open} onOpenChange={(next) => !pending && onOpenChange(next)}>
      <DialogContent title={t("previewTitle")} description={preview ? t("previewCount", { count: preview.contractsChanged }) : undefined} closeLabel={tCommon("close")} className="w-[min(44rem,calc(100vw-2rem))]">
        {preview && example ? (
          <section aria-labelledby="preview-example" className="flex flex-col gap-3">
            <h3 id="preview-example" className="text-sm font-semibold">
              {t.rich("exampleHeading", {
                id: example.subscriptionId,
                link: (chunks) => (
                  <Link href={`/console/subscriptions/${example.subscriptionId}`} className="text-sky-800 underline">
                    {chunks}
                  </Link>
                ),
              })}
            </h3>
            {example.statusBefore !== example.statusAfter ? (
              <p className="text-sm">{t("statusChange", { before: tCommon(`status.${example.statusBefore}`), after: tCommon(`status.${example.statusAfter}`) })}</p>
            ) : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <div>
                <h4 className="mb-1 text-xs font-semibold text-slate-600">{t("before")}</h4>
                {steps(example.before, "preview-before")}
              </div>
              <div>
                <h4 className="mb-1 text-xs font-semibold text-slate-600">{t("after")}</h4>
                {steps(example.after, "preview-after")}
              </div>
            </div>
          </section>
        ) : (
          <p className="text-sm text-slate-700">{t("previewNone")}</p>
        )}
        <div className="mt-4">
          <DialogProblem>{problem}</DialogProblem>
        </div>
        <DialogActions cancelLabel={tCommon("cancel")} label={pending ? t("saving") : t("save")} pending={pending} onConfirm={onConfirm} />
      </DialogContent>
    </Dialog>
  );
}
