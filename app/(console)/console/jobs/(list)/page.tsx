import type { Metadata } from "next";
import Link from "next/link";
import type { SearchParams } from "nuqs/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { listBulkJobs } from "@/lib/services/queries/bulk-jobs";
import { describeJob } from "../_components/job-text";
import { JobsTable, type JobRow } from "../_components/jobs-table";
import { jobListUrl, loadJobListParams } from "../search-params";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("jobs"))("title") };
}

const PAGE_SIZE = 25;

/** Every bulk job of the merchant, newest first: what, how far, with what results, who and when. */
export default async function JobsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx } = await requireStaff();
  const { after } = await loadJobListParams(searchParams);
  const [t, format, page] = await Promise.all([getTranslations("jobs"), getFormatter(), listBulkJobs(ctx, { limit: PAGE_SIZE, startingAfter: after })]);
  const rows: JobRow[] = page.rows.map((job) => ({
    id: job.id,
    kind: job.kind,
    description: describeJob(t, format, job),
    status: job.status,
    total: job.total,
    done: job.done,
    skipped: job.skipped,
    failed: job.failed,
    createdBy: job.createdByName ?? t("system"),
    createdAt: format.dateTime(job.createdAt, { dateStyle: "medium", timeStyle: "short" }),
  }));
  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      {rows.length === 0 && !after ? (
        <div className="flex flex-col items-start gap-3 rounded-lg border border-dashed border-slate-300 bg-white p-6">
          <p className="text-sm text-slate-700">{t("empty")}</p>
          <Link href="/console/subscriptions" className="text-sm font-medium text-sky-800 underline underline-offset-2">
            {t("toSubscriptions")}
          </Link>
        </div>
      ) : (
        <>
          <JobsTable rows={rows} />
          <nav aria-label={t("detail.pagination")} className="flex gap-4 text-sm">
            {after ? (
              <Link href="/console/jobs" className="font-medium text-sky-800 underline underline-offset-2">
                {t("newest")}
              </Link>
            ) : null}
            {page.hasMore ? (
              <Link href={jobListUrl("/console/jobs", { after: rows.at(-1)!.id })} className="font-medium text-sky-800 underline underline-offset-2">
                {t("older")}
              </Link>
            ) : null}
          </nav>
        </>
      )}
    </div>
  );
}
