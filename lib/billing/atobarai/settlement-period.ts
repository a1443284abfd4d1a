import type { LocalDate } from "@/lib/billing/calendar";
import type { SettlementCycle } from "./settings";

/** One settlement period (立替の締め): from `start` to `end`, both local dates included; it closes at the end of `end`. */
export type SettlementPeriod = { start: LocalDate; end: LocalDate };

/** The period of `cycle` that contains `date`. */
export function settlementPeriodOf(date: LocalDate, cycle: SettlementCycle): SettlementPeriod {
  if (cycle.kind === "monthly") {
    const start = date.with({ day: 1 });
    return { start, end: start.add({ months: 1 }).subtract({ days: 1 }) };
  }
  const end = date.add({ days: (cycle.closeWeekday - date.dayOfWeek + 7) % 7 });
  return { start: end.subtract({ days: 6 }), end };
}

/**
 * The period after `previous` under `cycle` (a cycle changed meanwhile starts the day after the last close: its first
 * period may be shorter than a full one, never overlapping the one closed).
 */
export function nextSettlementPeriod(previous: SettlementPeriod, cycle: SettlementCycle): SettlementPeriod {
  const start = previous.end.add({ days: 1 });
  return { start, end: settlementPeriodOf(start, cycle).end };
}
