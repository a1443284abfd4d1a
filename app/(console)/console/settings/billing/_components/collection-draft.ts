import { z } from "zod";
import { type BillingSettings, dunningTimelineSchema, FALLBACK_INVOICE_OFF, fallbackInvoiceOf, RETRY_PRESETS, retryScheduleSchema } from "@/lib/billing/billing-settings";
import type { DunningTemplate } from "@/lib/billing/mail-template";

/*
 * The retry and dunning section's form state: numbers as typed (strings, so that an IME's full-width digits and a
 * field left empty while editing are kept), checked by the domain's own schemas, and each problem put beside its field.
 */

export type RetryMode = keyof typeof RETRY_PRESETS | "custom";
export const RETRY_MODES: readonly RetryMode[] = [...(Object.keys(RETRY_PRESETS) as (keyof typeof RETRY_PRESETS)[]), "custom"];

export type Row = { key: string; days: string };
export type NoticeRow = Row & { template: DunningTemplate };
export type CollectionDraft = {
  mode: RetryMode;
  customDays: Row[];
  notices: NoticeRow[];
  withdrawEnabled: boolean;
  withdrawHours: string;
  fallbackEnabled: boolean;
  fallbackDays: string;
};
export type Collection = Pick<BillingSettings, "retryScheduleDays" | "dunning">;

export type ProblemCode = "retryDay" | "retryIncreasing" | "retryTooMany" | "noticeDay" | "noticesTooMany" | "withdrawHours" | "fallbackDay" | "other";
/** Problems by field: `retry.<i>`, `retries`, `notice.<i>`, `notices`, `withdrawHours`, `fallbackDays`, or `form` for the rest. */
export type Problems = Record<string, ProblemCode>;

let lastKey = 0;
export const rowKey = () => `row-${++lastKey}`;

export function draftOf(settings: Collection): CollectionDraft {
  const preset = (Object.keys(RETRY_PRESETS) as (keyof typeof RETRY_PRESETS)[]).find((name) => sameDays(RETRY_PRESETS[name], settings.retryScheduleDays));
  return {
    mode: preset ?? "custom",
    customDays: settings.retryScheduleDays.map((d) => ({ key: rowKey(), days: String(d) })),
    notices: settings.dunning.notices.map((n) => ({ key: rowKey(), template: n.template, days: String(n.daysAfterPaidThrough) })),
    withdrawEnabled: settings.dunning.withdraw.enabled,
    withdrawHours: String(settings.dunning.withdraw.hoursAfterLastNotice),
    fallbackEnabled: fallbackInvoiceOf(settings.dunning).enabled,
    fallbackDays: String(fallbackInvoiceOf(settings.dunning).daysAfterPaidThrough),
  };
}

/** A whole number as typed, full-width digits included; anything else is NaN, which the schemas refuse. */
export function wholeNumber(text: string): number {
  const t = text.normalize("NFKC").trim();
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

export function retryDaysOf(draft: CollectionDraft): number[] {
  return draft.mode === "custom" ? draft.customDays.map((r) => wholeNumber(r.days)) : [...RETRY_PRESETS[draft.mode]];
}

const collectionSchema = z.object({ retryScheduleDays: retryScheduleSchema, dunning: dunningTimelineSchema });

/** The settings the draft stands for (notices in order of days), or the problems that keep it from being saved. */
export function parseDraft(draft: CollectionDraft): { value: Collection; problems: null } | { value: null; problems: Problems } {
  const hours = wholeNumber(draft.withdrawHours);
  const fallbackDays = wholeNumber(draft.fallbackDays);
  const input = {
    retryScheduleDays: retryDaysOf(draft),
    dunning: {
      notices: draft.notices.map((n) => ({ template: n.template, daysAfterPaidThrough: wholeNumber(n.days) })),
      // Hours left unreadable behind a switched-off withdrawal are not shown, so they must not block saving.
      withdraw: { enabled: draft.withdrawEnabled, hoursAfterLastNotice: draft.withdrawEnabled || (hours >= 0 && hours <= 24 * 365) ? hours : 0 },
      // The same for the days of a fallback invoice switched off.
      fallbackInvoice: {
        enabled: draft.fallbackEnabled,
        daysAfterPaidThrough: draft.fallbackEnabled || (fallbackDays >= 0 && fallbackDays <= 3650) ? fallbackDays : FALLBACK_INVOICE_OFF.daysAfterPaidThrough,
      },
    },
  };
  const result = collectionSchema.safeParse(input);
  if (result.success) {
    const notices = [...result.data.dunning.notices].sort((a, b) => a.daysAfterPaidThrough - b.daysAfterPaidThrough);
    return { value: { retryScheduleDays: result.data.retryScheduleDays, dunning: { ...result.data.dunning, notices } }, problems: null };
  }
  const problems: Problems = {};
  for (const issue of result.error.issues) {
    const [field, code] = problemOf(issue.path.map(String), issue.code, input.retryScheduleDays);
    problems[field] ??= code;
  }
  return { value: null, problems };
}

/** Where a schema's issue (or a server refusal's field) belongs on the form, and what to say there. */
export function problemOf(path: string[], code: string | null, retryDays: number[]): [string, ProblemCode] {
  const [head, second, third, fourth] = path;
  if (head === "retryScheduleDays") {
    if (second !== undefined) return [`retry.${second}`, "retryDay"];
    if (code === "too_big") return ["retries", "retryTooMany"];
    // The only other check on the whole list is that each day comes after the one before: point at the first that does not.
    const at = retryDays.findIndex((d, i) => i > 0 && d <= retryDays[i - 1]!);
    return at > 0 ? [`retry.${at}`, "retryIncreasing"] : ["retries", "retryIncreasing"];
  }
  if (head === "dunning" && second === "notices") {
    if (third !== undefined && fourth === "daysAfterPaidThrough") return [`notice.${third}`, "noticeDay"];
    if (third === undefined) return ["notices", "noticesTooMany"];
  }
  if (head === "dunning" && second === "withdraw") return ["withdrawHours", "withdrawHours"];
  if (head === "dunning" && second === "fallbackInvoice") return ["fallbackDays", "fallbackDay"];
  return ["form", "other"];
}

function sameDays(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Whether two settings plan the same (the stored JSON's key order and the notices' order do not count). */
export function sameCollection(a: Collection, b: Collection): boolean {
  const canonical = (c: Collection) =>
    JSON.stringify([
      c.retryScheduleDays,
      [...c.dunning.notices].sort((x, y) => x.daysAfterPaidThrough - y.daysAfterPaidThrough).map((n) => [n.template, n.daysAfterPaidThrough]),
      c.dunning.withdraw.enabled,
      c.dunning.withdraw.hoursAfterLastNotice,
      fallbackInvoiceOf(c.dunning).enabled,
      fallbackInvoiceOf(c.dunning).daysAfterPaidThrough,
    ]);
  return canonical(a) === canonical(b);
}
