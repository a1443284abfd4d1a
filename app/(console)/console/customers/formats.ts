import type { DateTimeFormatOptions } from "next-intl";

/** 2026年12月1日 / December 1, 2026 — in the merchant's time zone, which next-intl is configured with. */
export const DATE: DateTimeFormatOptions = { year: "numeric", month: "long", day: "numeric" };
/** 2026/12/01 09:00 */
export const DATE_TIME: DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
