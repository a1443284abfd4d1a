import { getFormatter, getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { DATE_TIME_FORMAT } from "@/lib/i18n/formats";
import { describeTimelineEvent } from "@/lib/i18n/timeline";
import type { TimelineEntry, TimelineStatus } from "@/lib/services/queries/subscriptions";

const TONE: Record<TimelineStatus, BadgeTone> = { done: "neutral", scheduled: "info", canceled: "muted" };

/**
 * What is planned (soonest first) and what happened (newest first): scheduled actions, payments and the verbs done
 * to the contract, each worded in the reader's language.
 */
export async function TimelineSection({ entries }: { entries: TimelineEntry[] }) {
  const t = await getTranslations();
  const format = await getFormatter();
  const wording = { t, dateTime: (at: Date) => format.dateTime(at, DATE_TIME_FORMAT) };
  const upcoming = entries.filter((e) => e.status === "scheduled");
  const past = entries.filter((e) => e.status !== "scheduled").reverse();
  const item = (entry: TimelineEntry, i: number) => (
    <li key={i} className="flex flex-col gap-1 border-l-2 border-slate-200 pl-3 sm:flex-row sm:items-baseline sm:gap-3">
      <span className="w-40 shrink-0 text-sm text-slate-600">
        <DateText value={entry.at} withTime />
      </span>
      <Badge tone={TONE[entry.status]}>{t(`subscription.timeline.status.${entry.status}`)}</Badge>
      <span className="text-sm">{describeTimelineEvent(entry.event, wording)}</span>
    </li>
  );
  return (
    <Card aria-labelledby="timeline-heading">
      <CardTitle id="timeline-heading">{t("subscription.timeline.heading")}</CardTitle>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">{t("subscription.timeline.empty")}</p>
      ) : (
        <div className="flex flex-col gap-4">
          <section aria-labelledby="timeline-upcoming">
            <h3 id="timeline-upcoming" className="mb-2 text-sm font-semibold text-slate-800">
              {t("subscription.timeline.upcoming")}
            </h3>
            {upcoming.length === 0 ? (
              <p className="text-sm text-slate-600">{t("subscription.timeline.noUpcoming")}</p>
            ) : (
              <ol className="flex flex-col gap-2" data-testid="timeline-upcoming">
                {upcoming.map(item)}
              </ol>
            )}
          </section>
          {past.length > 0 ? (
            <section aria-labelledby="timeline-past">
              <h3 id="timeline-past" className="mb-2 text-sm font-semibold text-slate-800">
                {t("subscription.timeline.past")}
              </h3>
              <ol className="flex flex-col gap-2" data-testid="timeline-past">
                {past.map(item)}
              </ol>
            </section>
          ) : null}
        </div>
      )}
    </Card>
  );
}
