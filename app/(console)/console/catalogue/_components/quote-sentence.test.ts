import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import type { PlanFacts } from "@/lib/billing/contract";
import { formatMoney } from "@/lib/billing/money";
import { quoteSignUp } from "@/lib/billing/sign-up-quote";
import { MESSAGES } from "@/messages";
import { quoteWords } from "./quote-sentence";

const base: PlanFacts = {
  id: "plan",
  name: "月謝",
  amount: 980,
  currency: "jpy",
  interval: "month",
  billingDay: null,
  firstPeriod: "full",
  trialDays: null,
  trialUntil: null,
  trialReminderDays: null,
  joiningFee: 0,
  taxBehavior: "inclusive",
  taxRate: 10,
  usageRates: [],
  retryScheduleDays: null,
};

function words(plan: Partial<PlanFacts>, now: string, locale: "ja" | "en" = "ja") {
  const messages = MESSAGES[locale];
  const t = createTranslator({ locale, messages, namespace: "catalogue.preview" });
  const billing = createTranslator({ locale, messages, namespace: "billing" });
  const checkout = createTranslator({ locale, messages, namespace: "checkout" });
  const dateFormat = (options: Intl.DateTimeFormatOptions) => (local: string) => new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(new Date(`${local}T00:00:00Z`));
  const quote = quoteSignUp({ plan: { ...base, ...plan }, settings: DEFAULT_BILLING_SETTINGS, timeZone: "Asia/Tokyo", now: new Date(`${now}+09:00`) });
  return quoteWords(quote, {
    t: (key, values) => t(key as Parameters<typeof t>[0], values),
    interval: (interval) => billing(`interval.${interval}`),
    weekday: (day) => checkout(`weekdays.${String(day) as "0"}`),
    money: (amount) => formatMoney({ amount, currency: "jpy" }),
    date: dateFormat({ year: "numeric", month: "long", day: "numeric" }),
    monthDay: dateFormat({ month: "long", day: "numeric" }),
  });
}

describe("the plan explanation in words", () => {
  it("says the issue's example: today with the joining fee, then monthly on the 25th", () => {
    const w = words({ billingDay: 25, joiningFee: 3000 }, "2027-01-25T10:00:00");
    expect(w.sentence).toBe("本日 ¥3,980（入会金 ¥3,000 を含む）、以降毎月25日に ¥980");
    expect(w.nextDates).toBe("その後の請求日: 2027年2月25日、2027年3月25日、2027年4月25日");
    expect(w.taxNote).toBe("金額は税込（うち消費税 10%）です。");
    expect(w.firstLines.map((l) => l.amount).sort()).toEqual(["¥3,000", "¥980"]);
  });

  it("says a trial, the date of the first charge, and month-end for day 31", () => {
    const w = words({ billingDay: 31, firstPeriod: "prorate", trialDays: 14, joiningFee: 3000 }, "2027-01-10T12:00:00");
    // Trial Jan 10–23; Jan 24 → Jan 31 prorated: 980 × 7 / 31 = 221, plus the joining fee.
    expect(w.sentence).toBe("2027年1月23日までお試し（無料）。2027年1月24日に ¥3,221（入会金 ¥3,000 を含む）、以降毎月末日に ¥980");
  });

  it("says a free first stretch, weekly weekdays, yearly dates and tax added on top", () => {
    expect(words({ billingDay: 25, firstPeriod: "free" }, "2027-01-10T12:00:00").sentence).toBe("2027年1月24日までは無料。2027年1月25日に ¥980、以降毎月25日に ¥980");
    expect(words({ interval: "2week", billingDay: 3, firstPeriod: "full" }, "2027-01-10T12:00:00").sentence).toBe("本日 ¥980、以降隔週水曜日に ¥980");
    expect(words({ interval: "3month", billingDay: 25, firstPeriod: "prorate" }, "2027-01-10T12:00:00").sentence).toMatch(/、以降3か月ごとの25日に ¥980$/);
    const yearly = words({ interval: "year", amount: 12000, taxBehavior: "exclusive", taxRate: 8 }, "2027-03-15T09:00:00");
    expect(yearly.sentence).toBe("本日 ¥12,960、以降毎年3月15日に ¥12,960");
    expect(yearly.taxNote).toBe("金額は税抜価格に消費税 8% を加えた額です。");
  });

  it("speaks English too", () => {
    expect(words({ billingDay: 25, joiningFee: 3000 }, "2027-01-25T10:00:00", "en").sentence).toBe("Today ¥3,980 (including the joining fee ¥3,000), then ¥980 on day 25 of every month");
  });
});
