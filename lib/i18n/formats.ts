/**
 * How the console writes times (UI.md): a day as「2026年12月1日」, a moment as「2026/12/01 09:00」, both in the
 * merchant's time zone (next-intl's timeZone, or the one given). One definition for pages, dialogs and the API's
 * Japanese texts.
 */
export const DATE_FORMAT = { year: "numeric", month: "long", day: "numeric" } as const satisfies Intl.DateTimeFormatOptions;
export const DATE_TIME_FORMAT = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const satisfies Intl.DateTimeFormatOptions;
