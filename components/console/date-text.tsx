import { useFormatter } from "next-intl";
import { DATE_FORMAT, DATE_TIME_FORMAT } from "@/lib/i18n/formats";

/**
 * A date (「2026年12月1日」) or a moment (「2026/12/01 09:00」) in the merchant's time zone, as a <time> element that
 * machines can read. Works in server and client components alike (next-intl's formatter carries the time zone).
 */
export function DateText({ value, withTime = false }: { value: Date | string; withTime?: boolean }) {
  const format = useFormatter();
  const date = typeof value === "string" ? new Date(value) : value;
  return (
    <time dateTime={date.toISOString()} className="tabular-nums">
      {format.dateTime(date, withTime ? DATE_TIME_FORMAT : DATE_FORMAT)}
    </time>
  );
}
