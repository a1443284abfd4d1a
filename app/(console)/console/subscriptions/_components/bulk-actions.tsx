"use client";

import Link from "next/link";
import { useNow, useTimeZone, useTranslations } from "next-intl";
import { useEffect, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { StatusBadge } from "@/components/console/status-badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { FieldError, Input, Label, Textarea } from "@/components/ui/input";
import { DisabledReason } from "@/components/ui/tooltip";
import type { BulkPreview } from "@/lib/services/preview-bulk-job";
import type { BulkSelection } from "@/lib/services/queries/subscription-search";
import { bulkActionsAllowedAction, type BulkActionRequest, previewBulkActionAction, startBulkActionAction } from "../bulk-job-actions";

type Kind = "retry" | "cancel";

/** "YYYY-MM-DDTHH:mm" of an instant in a time zone: a datetime-local input's value in the merchant's time. */
function wallClock(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** Tomorrow 09:00 in the merchant's time: a sensible first choice for a retry date. */
function tomorrowMorning(now: Date, timeZone: string): string {
  return `${wallClock(new Date(now.getTime() + 86_400_000), timeZone).slice(0, 10)}T09:00`;
}

/**
 * The contracts list's bulk actions (一括再決済 / 一括解約) for the rows selected there, or every contract matching its
 * search: a dialog asks how (retry now or at a date and time in the merchant's time zone; cancel now or at period end,
 * with a reason), shows what will happen (count, a sample, what will be skipped and why), and starts the job; a toast
 * links to its progress. Disabled, with the reason, for staff who may not act on contracts (the service refuses them too).
 */
export function BulkActions({ selection, onDone }: { selection: BulkSelection; onDone: () => void }) {
  const t = useTranslations("bulkActions");
  const [allowed, setAllowed] = useState<boolean | null>(null);
  const [kind, setKind] = useState<Kind | null>(null);
  useEffect(() => {
    let live = true;
    void bulkActionsAllowedAction().then((result) => live && setAllowed(result.ok && result.data));
    return () => {
      live = false;
    };
  }, []);
  const count = selection.type === "ids" ? selection.ids.length : selection.count;
  const reason = allowed === false ? t("viewerReason") : null;
  const disabled = allowed !== true || count === 0;
  return (
    <div role="group" aria-label={t("groupLabel")} className="flex flex-wrap items-center gap-2">
      {(["retry", "cancel"] as const).map((action) => (
        <DisabledReason key={action} reason={reason}>
          <Button variant={action === "cancel" ? "danger" : "primary"} size="sm" disabled={disabled} onClick={() => setKind(action)}>
            {t(action)}
          </Button>
        </DisabledReason>
      ))}
      {kind ? (
        <BulkActionDialog
          kind={kind}
          selection={selection}
          count={count}
          onClose={() => setKind(null)}
          onStarted={() => {
            setKind(null);
            onDone();
          }}
        />
      ) : null}
    </div>
  );
}

function BulkActionDialog({ kind, selection, count, onClose, onStarted }: { kind: Kind; selection: BulkSelection; count: number; onClose: () => void; onStarted: () => void }) {
  const t = useTranslations("bulkActions");
  const tCommon = useTranslations("common");
  const tReasons = useTranslations("jobs.reasons");
  const tStatus = useTranslations("common.status");
  const timeZone = useTimeZone() ?? "Asia/Tokyo";
  const now = useNow();
  const ids = { when: useId(), at: useId(), atError: useId(), reason: useId(), error: useId() };
  const [retryWhen, setRetryWhen] = useState<"now" | "at">("now");
  const [atLocal, setAtLocal] = useState(() => tomorrowMorning(now, timeZone));
  const [cancelWhen, setCancelWhen] = useState<"period_end" | "now">("period_end");
  const [cancelReason, setCancelReason] = useState("");
  const [preview, setPreview] = useState<{ request: BulkActionRequest; figures: BulkPreview } | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const title = t(kind === "retry" ? "retryTitle" : "cancelTitle");

  const request = (): BulkActionRequest =>
    kind === "retry"
      ? { kind, atLocal: retryWhen === "at" ? atLocal : null, selection }
      : { kind, atPeriodEnd: cancelWhen === "period_end", reason: cancelReason.trim() || null, selection };

  const review = () => {
    if (kind === "retry" && retryWhen === "at" && !atLocal) {
      setError({ message: t("atRequired"), field: "params.at" });
      return;
    }
    const asked = request();
    startTransition(async () => {
      const result = await previewBulkActionAction(asked);
      if (!result.ok) setError({ message: result.message, field: result.field });
      else {
        setError(null);
        setPreview({ request: asked, figures: result.data });
      }
    });
  };

  const start = () => {
    if (!preview) return;
    startTransition(async () => {
      const result = await startBulkActionAction(preview.request);
      if (!result.ok) {
        setError({ message: result.message, field: result.field });
        return;
      }
      toast.success(
        <span>
          {t("started", { action: title, count: result.data.total })}{" "}
          <Link href={`/console/jobs/${result.data.id}`} className="font-medium underline underline-offset-2">
            {t("openJob")}
          </Link>
        </span>,
      );
      onStarted();
    });
  };

  const whatHappens = () => {
    if (kind === "cancel") return t(cancelWhen === "now" ? "whatHappens.cancelNow" : "whatHappens.cancelAtPeriodEnd");
    if (retryWhen === "now") return t("whatHappens.retryNow");
    return t("whatHappens.retryAt", { at: atLocal.replace("T", " ") });
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        title={preview ? t("confirmTitle", { action: title }) : title}
        description={preview ? whatHappens() : t(kind === "retry" ? "retryDescription" : "cancelDescription")}
        closeLabel={tCommon("close")}
      >
        <p className="mb-4 text-sm font-medium text-slate-800">{t("selected", { count })}</p>
        {!preview ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              review();
            }}
            className="flex flex-col gap-4"
          >
            {kind === "retry" ? (
              <fieldset className="flex flex-col gap-2">
                <legend className="mb-1 text-sm font-medium text-slate-800">{t("whenLegend")}</legend>
                <label className="flex items-center gap-2 text-sm">
                  <input type="radio" name="retry-when" value="now" checked={retryWhen === "now"} onChange={() => setRetryWhen("now")} />
                  {t("retryNow")}
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <input type="radio" name="retry-when" value="at" checked={retryWhen === "at"} onChange={() => setRetryWhen("at")} />
                  {t("retryAt")}
                </label>
                {retryWhen === "at" ? (
                  <div className="ml-6 flex flex-col gap-1">
                    <Label htmlFor={ids.at}>{t("atLabel", { zone: timeZone })}</Label>
                    <Input
                      id={ids.at}
                      type="datetime-local"
                      value={atLocal}
                      min={wallClock(now, timeZone)}
                      onChange={(event) => setAtLocal(event.target.value)}
                      aria-invalid={error?.field === "params.at" || undefined}
                      aria-describedby={error?.field === "params.at" ? ids.atError : undefined}
                      required
                    />
                    <FieldError id={ids.atError}>{error?.field === "params.at" ? error.message : null}</FieldError>
                  </div>
                ) : null}
              </fieldset>
            ) : (
              <>
                <fieldset className="flex flex-col gap-2">
                  <legend className="mb-1 text-sm font-medium text-slate-800">{t("cancelLegend")}</legend>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="radio" name="cancel-when" value="period_end" checked={cancelWhen === "period_end"} onChange={() => setCancelWhen("period_end")} />
                    {t("cancelAtPeriodEnd")}
                  </label>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="radio" name="cancel-when" value="now" checked={cancelWhen === "now"} onChange={() => setCancelWhen("now")} />
                    {t("cancelNow")}
                  </label>
                </fieldset>
                <div className="flex flex-col gap-1">
                  <Label htmlFor={ids.reason}>{t("reasonLabel")}</Label>
                  <Textarea id={ids.reason} value={cancelReason} maxLength={1000} onChange={(event) => setCancelReason(event.target.value)} />
                </div>
              </>
            )}
            {error && error.field !== "params.at" ? <FieldError id={ids.error}>{error.message}</FieldError> : null}
            <DialogFooter>
              <Button variant="secondary" onClick={onClose}>
                {tCommon("cancel")}
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? t("previewing") : t("preview")}
              </Button>
            </DialogFooter>
          </form>
        ) : (
          <div className="flex flex-col gap-4 text-sm">
            <ul className="flex flex-col gap-1">
              <li>{t("total", { count: preview.figures.total })}</li>
              <li className="font-semibold">{t("toAct", { count: preview.figures.toAct })}</li>
            </ul>
            {selection.type === "search" && preview.figures.total !== selection.count ? (
              <p className="rounded-md bg-amber-50 p-2 text-amber-900">{t("countChanged", { count: preview.figures.total, shown: selection.count })}</p>
            ) : null}
            <section aria-labelledby={`${ids.when}-skips`}>
              <h3 id={`${ids.when}-skips`} className="mb-1 font-medium">
                {t("skipsTitle")}
              </h3>
              {preview.figures.skips.length === 0 ? (
                <p className="text-slate-700">{t("noSkips")}</p>
              ) : (
                <ul className="list-disc pl-5 text-slate-700">
                  {preview.figures.skips.map((skip) => (
                    <li key={`${skip.reason}:${skip.status}`}>
                      {t("skipLine", { reason: tReasons(skip.reason, { status: tStatus(skip.status), decline: "", code: skip.reason }), count: skip.count })}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {preview.figures.sample.length > 0 ? (
              <section aria-labelledby={`${ids.when}-sample`}>
                <h3 id={`${ids.when}-sample`} className="mb-1 font-medium">
                  {t("sampleTitle", { count: preview.figures.sample.length })}
                </h3>
                <ul className="flex flex-col gap-1">
                  {preview.figures.sample.map((contract) => (
                    <li key={contract.id} className="flex items-center gap-2">
                      <StatusBadge status={contract.status} />
                      <span>{contract.customerName}</span>
                      <span className="font-mono text-xs text-slate-600">{contract.id}</span>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
            {preview.figures.toAct === 0 ? <p className="text-slate-700">{t("nothingToDo")}</p> : null}
            {error ? <FieldError id={ids.error}>{error.message}</FieldError> : null}
            <DialogFooter>
              <Button variant="secondary" onClick={() => setPreview(null)} disabled={pending}>
                {t("back")}
              </Button>
              <Button variant={kind === "cancel" ? "danger" : "primary"} onClick={start} disabled={pending || preview.figures.toAct === 0}>
                {pending ? t("starting") : t("start", { count: preview.figures.total })}
              </Button>
            </DialogFooter>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
