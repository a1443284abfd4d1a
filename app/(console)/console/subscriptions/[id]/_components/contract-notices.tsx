import { getFormatter, getTranslations } from "next-intl/server";
import { DATE_FORMAT, DATE_TIME_FORMAT } from "@/lib/i18n/formats";
import type { SubscriptionDetail } from "@/lib/services/queries/subscription-detail";

type Notice = { key: string; tone: "info" | "warning" | "danger"; text: string; more?: string };

const TONES = {
  info: "border-sky-200 bg-sky-50 text-sky-900",
  warning: "border-amber-300 bg-amber-50 text-amber-950",
  danger: "border-red-200 bg-red-50 text-red-900",
} as const;

/** What someone looking at the contract must not miss: it ends soon, is paused, changes plan, is unpaid, its card is bad. */
export async function ContractNotices({ detail }: { detail: SubscriptionDetail }) {
  const t = await getTranslations("subscription.notices");
  const format = await getFormatter();
  const date = (at: Date) => format.dateTime(at, DATE_FORMAT);
  const { subscription: sub, card, pendingPlan, testClock } = detail;
  const notices: Notice[] = [];
  if (sub.cancelAtPeriodEnd && sub.paidThrough) {
    notices.push({ key: "cancel", tone: "warning", text: t("cancelAtPeriodEnd", { date: date(sub.paidThrough) }), more: sub.cancelReason ? t("cancelReason", { reason: sub.cancelReason }) : undefined });
  }
  if (sub.status === "paused" && sub.pausedAt) {
    notices.push({ key: "paused", tone: "info", text: t("paused", { date: date(sub.pausedAt) }), more: sub.resumeAt ? t("pausedUntil", { date: format.dateTime(sub.resumeAt, DATE_TIME_FORMAT) }) : undefined });
  }
  if (pendingPlan) notices.push({ key: "plan", tone: "info", text: t("pendingPlan", { plan: pendingPlan.name }) });
  if (sub.unpaidSince && (sub.status === "past_due" || sub.status === "unpaid" || sub.status === "incomplete")) {
    notices.push({ key: "overdue", tone: "danger", text: t("overdue", { date: date(sub.unpaidSince) }) });
  }
  const live = sub.status !== "canceled" && sub.status !== "withdrawn";
  if (live && card?.expiry === "expired") notices.push({ key: "card", tone: "danger", text: t("cardExpired") });
  if (live && card?.expiry === "expiring") notices.push({ key: "card", tone: "warning", text: t("cardExpiring") });
  if (testClock) notices.push({ key: "clock", tone: "info", text: t("testClock", { name: testClock.name ?? testClock.id, time: format.dateTime(testClock.frozenTime, DATE_TIME_FORMAT) }) });
  if (notices.length === 0) return null;
  return (
    <section aria-labelledby="notices-heading">
      <h2 id="notices-heading" className="sr-only">
        {t("heading")}
      </h2>
      <ul className="flex flex-col gap-2">
        {notices.map((n) => (
          <li key={n.key} className={`rounded-md border px-4 py-2 text-sm ${TONES[n.tone]}`} data-testid={`notice-${n.key}`}>
            <p>{n.text}</p>
            {n.more ? <p className="mt-0.5">{n.more}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
