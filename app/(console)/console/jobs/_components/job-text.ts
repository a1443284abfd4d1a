import type { useFormatter, useTranslations } from "next-intl";
import type { BulkJobItemStatus, BulkJobKind } from "@/db/schema";
import { declineTitle } from "@/components/console/decline-explanation";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "@/lib/billing/subscription-state";

/** The translators these helpers take: from useTranslations / getTranslations, on the server or in the browser. */
type JobsT = ReturnType<typeof useTranslations<"jobs">>;
type StatusT = ReturnType<typeof useTranslations<"common.status">>;
type DeclinesT = ReturnType<typeof useTranslations<"declines">>;
type Format = ReturnType<typeof useFormatter>;

export type JobFacts = { id: string; kind: BulkJobKind; params: Record<string, unknown>; retryOf: string | null };

const isStatus = (text: string | null): text is SubscriptionStatus => (SUBSCRIPTION_STATUSES as readonly string[]).includes(text ?? "");

/** What a job does, in a line: "2027/02/15 9:00 に再決済", "有効期限で解約・理由: …". */
export function describeJob(t: JobsT, format: Format, job: JobFacts): string {
  const parts: string[] = [];
  if (job.kind === "retry") {
    const at = typeof job.params.at === "string" ? new Date(job.params.at) : null;
    parts.push(at ? t("describe.retryAt", { at: format.dateTime(at, { dateStyle: "medium", timeStyle: "short" }) }) : t("describe.retryNow"));
  } else {
    parts.push(job.params.atPeriodEnd === false ? t("describe.cancelNow") : t("describe.cancelAtPeriodEnd"));
    if (typeof job.params.reason === "string" && job.params.reason) parts.push(t("describe.reason", { reason: job.params.reason }));
  }
  if (job.retryOf) parts.push(t("describe.retryOf", { job: job.retryOf }));
  return parts.join("・");
}

/** Why a row ended as it did, in the reader's language (a machine-readable reason is never shown raw, unless unknown). */
export function itemReasonText(t: JobsT, tStatus: StatusT, tDeclines: DeclinesT, kind: BulkJobKind, item: { status: BulkJobItemStatus; reason: string | null; message: string | null }): string {
  if (item.status === "pending") return "";
  if (item.status === "done") {
    if (kind === "cancel") return t("done.canceled");
    return item.message === "paid" ? t("done.retryPaid") : t("done.retryScheduled");
  }
  const key = `reasons.${item.reason}` as Parameters<JobsT>[0];
  if (!item.reason || !t.has(key)) return t("reasons.other", { code: item.reason ?? "-" });
  return t(key, { status: isStatus(item.message) ? tStatus(item.message) : (item.message ?? ""), decline: declineTitle(tDeclines, item.message), code: item.reason });
}

/** Share of the job's contracts with a result, 0–100. */
export function percentDone(job: { total: number; done: number; skipped: number; failed: number }): number {
  return job.total === 0 ? 100 : Math.floor((100 * (job.done + job.skipped + job.failed)) / job.total);
}
