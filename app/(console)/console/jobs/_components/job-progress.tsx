import { useTranslations } from "next-intl";
import { cn } from "@/lib/cn";
import { percentDone } from "./job-text";

/** A job's progress bar, with its figures as text for everyone and as the bar's value for screen readers. */
export function JobProgress({ job, className, labelledBy }: { job: { total: number; done: number; skipped: number; failed: number; status: string }; className?: string; labelledBy?: string }) {
  const t = useTranslations("jobs");
  const percent = percentDone(job);
  const worked = job.done + job.skipped + job.failed;
  const label = t("progressLabel", { worked, total: job.total, percent });
  return (
    <div className={cn("flex min-w-40 flex-col gap-1", className)}>
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={label}
        {...(labelledBy ? { "aria-labelledby": labelledBy } : { "aria-label": t("progressName") })}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className={cn("h-full rounded-full transition-[width]", job.failed > 0 ? "bg-amber-500" : "bg-sky-600")} style={{ width: `${percent}%` }} />
      </div>
      <span className="text-xs text-slate-700 tabular-nums" data-testid="job-progress-text">
        {label}
      </span>
    </div>
  );
}
