import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card, CardTitle } from "@/components/ui/card";
import { DisabledReason } from "@/components/ui/tooltip";
import { requireStaff } from "@/lib/console/staff-context";
import { ServiceError } from "@/lib/services/errors";
import { type BulkJobView, getBulkJob, listBulkJobItems } from "@/lib/services/queries/bulk-jobs";
import { JobProgress } from "../_components/job-progress";
import { JobStatusBadge } from "../_components/job-status-badge";
import { describeJob, itemReasonText } from "../_components/job-text";
import { LiveRefresh } from "@/components/console/live-refresh";
import { ResultsTable, type ResultRow } from "../_components/results-table";
import { RetryFailedButton } from "../_components/retry-failed-button";
import { jobResultsUrl, loadJobResultsParams, RESULT_FILTERS, RESULTS_PER_PAGE } from "../search-params";

async function jobOf(ctx: Parameters<typeof getBulkJob>[0], id: string): Promise<BulkJobView> {
  try {
    return await getBulkJob(ctx, id);
  } catch (error) {
    // Another merchant's job, or none: the same "not found" either way.
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const t = await getTranslations("jobs");
  return { title: `${t("title")} ${(await params).id}` };
}

/** One bulk job: what it does, its live progress, and the result of every contract, filtered and paged, as CSV too. */
export default async function JobPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { staff, ctx } = await requireStaff();
  const { id } = await params;
  const job = await jobOf(ctx, id);
  const asked = await loadJobResultsParams(searchParams);
  const { result } = asked;
  const page = Math.max(1, asked.page);
  const [t, tStatus, tDeclines, format, items] = await Promise.all([
    getTranslations("jobs"),
    getTranslations("common.status"),
    getTranslations("declines"),
    getFormatter(),
    listBulkJobItems(ctx, id, { status: result === "all" ? null : result, page, perPage: RESULTS_PER_PAGE }),
  ]);
  const running = job.status === "running";
  const counts = { all: job.total, done: job.done, skipped: job.skipped, failed: job.failed, pending: job.total - job.done - job.skipped - job.failed };
  const pages = Math.max(1, Math.ceil(items.total / RESULTS_PER_PAGE));
  const rows: ResultRow[] = items.rows.map((item) => ({
    subscriptionId: item.subscriptionId,
    position: item.position + 1,
    customerName: item.customerName,
    contractStatus: item.contractStatus,
    status: item.status,
    reason: itemReasonText(t, tStatus, tDeclines, job.kind, item),
    completedAt: item.completedAt ? format.dateTime(item.completedAt, { dateStyle: "medium", timeStyle: "medium" }) : "",
  }));
  const retryDisabled = staff.role === "viewer" ? t("retryFailed.forbidden") : running ? t("retryFailed.stillRunning") : job.failed === 0 ? t("retryFailed.noneFailed") : null;
  const kind = t(`kind.${job.kind}`);
  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <LiveRefresh running={running} />
      <nav>
        <Link href="/console/jobs" className="text-sm font-medium text-sky-800 underline underline-offset-2">
          {t("backToList")}
        </Link>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="flex items-center gap-3 text-2xl font-bold">
            {t("detail.title", { kind })}
            <JobStatusBadge status={job.status} />
          </h1>
          <p className="mt-1 text-sm text-slate-700">{describeJob(t, format, job)}</p>
          {job.retryOf ? (
            <Link href={`/console/jobs/${job.retryOf}`} className="text-sm font-medium text-sky-800 underline underline-offset-2">
              {t("detail.retryOfLink")}
            </Link>
          ) : null}
        </div>
        <DisabledReason reason={retryDisabled}>
          <RetryFailedButton jobId={job.id} failed={job.failed} what={`${kind}・${describeJob(t, format, job)}`} disabled={retryDisabled !== null} />
        </DisabledReason>
      </header>

      <Card aria-labelledby="progress-title">
        <CardTitle id="progress-title">{t("progressName")}</CardTitle>
        <JobProgress job={job} labelledBy="progress-title" />
        <p className="mt-2 text-sm text-slate-700" data-testid="job-counts">
          {t("counts", { done: job.done, skipped: job.skipped, failed: job.failed })}
        </p>
        <p className="mt-1 text-sm text-slate-600" role="status">
          {running ? t("detail.running") : t("detail.finished")}
        </p>
        <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-slate-600">{t("detail.total")}</dt>
            <dd className="tabular-nums">{format.number(job.total)}</dd>
          </div>
          <div>
            <dt className="text-slate-600">{t("detail.createdBy")}</dt>
            <dd>{job.createdByName ?? t("system")}</dd>
          </div>
          <div>
            <dt className="text-slate-600">{t("detail.createdAt")}</dt>
            <dd>{format.dateTime(job.createdAt, { dateStyle: "medium", timeStyle: "short" })}</dd>
          </div>
          <div>
            <dt className="text-slate-600">{t("detail.finishedAt")}</dt>
            <dd>{job.finishedAt ? format.dateTime(job.finishedAt, { dateStyle: "medium", timeStyle: "short" }) : "—"}</dd>
          </div>
        </dl>
      </Card>

      <section aria-labelledby="results-title" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="results-title" className="text-lg font-semibold">
            {t("detail.results")}
          </h2>
          <div className="flex flex-wrap gap-2" role="group" aria-label={t("csv.title")}>
            <a href={`/console/jobs/${job.id}/csv?encoding=utf8`} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600">
              {t("csv.utf8")}
            </a>
            <a href={`/console/jobs/${job.id}/csv?encoding=shift_jis`} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600">
              {t("csv.shiftJis")}
            </a>
          </div>
        </div>
        <nav aria-label={t("detail.filterLabel")}>
          <ul className="flex flex-wrap gap-2">
            {RESULT_FILTERS.map((filter) => (
              <li key={filter}>
                <Link
                  href={jobResultsUrl(`/console/jobs/${job.id}`, { result: filter, page: 1 })}
                  aria-current={filter === result ? "page" : undefined}
                  className="inline-flex items-center gap-1 rounded-full border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 aria-[current=page]:border-sky-700 aria-[current=page]:bg-sky-50 aria-[current=page]:font-semibold aria-[current=page]:text-sky-900"
                >
                  {t(`filter.${filter}`)}
                  <span className="tabular-nums">{format.number(counts[filter])}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {rows.length === 0 ? <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">{t("detail.noRows")}</p> : <ResultsTable rows={rows} />}
        {pages > 1 ? (
          <nav aria-label={t("detail.pagination")} className="flex items-center gap-4 text-sm">
            {page > 1 ? (
              <Link href={jobResultsUrl(`/console/jobs/${job.id}`, { result, page: page - 1 })} className="font-medium text-sky-800 underline underline-offset-2">
                {t("detail.previous")}
              </Link>
            ) : null}
            <span className="text-slate-700">{t("detail.page", { page, pages })}</span>
            {page < pages ? (
              <Link href={jobResultsUrl(`/console/jobs/${job.id}`, { result, page: page + 1 })} className="font-medium text-sky-800 underline underline-offset-2">
                {t("detail.next")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
