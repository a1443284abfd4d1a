import { parseLocalDate } from "@/lib/billing/calendar";
import type { SignUpQuote } from "@/lib/billing/sign-up-quote";

/*
 * The quote of signing up today, in words: 「本日 ¥3,980（入会金 ¥3,000 を含む）、以降毎月25日に ¥980」. Only wording:
 * every amount and date is the checkout quote's (lib/billing/sign-up-quote.ts), so the catalogue says what the
 * checkout page and the engine will do.
 */

type Translate = (key: string, values?: Record<string, string | number>) => string;

export type QuoteWords = {
  sentence: string;
  nextDates: string;
  taxNote: string;
  firstLines: { description: string; amount: string }[];
};

export function quoteWords(
  quote: SignUpQuote,
  f: { t: Translate; interval: (interval: SignUpQuote["interval"]) => string; weekday: (day: number) => string; money: (amount: number) => string; date: (local: string) => string; monthDay: (local: string) => string },
): QuoteWords {
  const { t } = f;
  const joiningFee = quote.first.lines.filter((l) => l.kind === "joining_fee").reduce((sum, l) => sum + l.amount, 0);
  const includes = joiningFee > 0 ? t("includesJoiningFee", { fee: f.money(joiningFee) }) : "";
  const first = quote.first.atSignUp ? t("todayCharge", { amount: f.money(quote.first.total) }) : t("laterCharge", { amount: f.money(quote.first.total), date: f.date(quote.first.date) });
  let before = "";
  if (quote.trialEndsOn) before = t("trialFirst", { date: f.date(quote.trialEndsOn) });
  else if (!quote.first.atSignUp) before = t("freeFirst", { date: f.date(parseLocalDate(quote.first.date).subtract({ days: 1 }).toString()) });
  return {
    sentence: `${before}${first}${includes}${t("then", { cycle: cycleWords(quote, f), amount: f.money(quote.recurring.total) })}`,
    nextDates: t("nextDates", { dates: [quote.recurring.date, ...quote.thenOn].map(f.date).join("、") }),
    taxNote: quote.taxBehavior === "inclusive" ? t("taxInclusive", { rate: quote.taxRate }) : t("taxExclusive", { rate: quote.taxRate }),
    firstLines: quote.first.lines.map((l) => ({ description: l.description, amount: f.money(l.amount) })),
  };
}

function cycleWords(quote: SignUpQuote, f: Parameters<typeof quoteWords>[1]): string {
  const { t } = f;
  const anchor = quote.billingAnchor;
  switch (quote.interval) {
    case "week":
    case "2week":
      return t("cycleWeekday", { interval: f.interval(quote.interval), weekday: f.weekday(anchor) });
    case "month":
      return anchor >= 31 ? t("cycleMonthlyEnd") : t("cycleMonthly", { day: anchor });
    case "3month":
    case "6month":
      return anchor >= 31 ? t("cycleMonthsEnd", { interval: f.interval(quote.interval) }) : t("cycleMonths", { interval: f.interval(quote.interval), day: anchor });
    case "year":
      return t("cycleYear", { date: f.monthDay(quote.recurring.date) });
  }
}
