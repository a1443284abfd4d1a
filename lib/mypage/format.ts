import { createFormatter } from "next-intl";
import { formatMoney } from "@/lib/billing/money";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { BadgeTone } from "@/components/ui/badge";
import type { Locale } from "@/lib/i18n/locales";

/** Dates in the merchant's time zone (2027年3月10日), money as ¥1,500: how every mypage page writes them. */
export function mypageFormat(locale: Locale, timeZone: string) {
  const format = createFormatter({ locale, timeZone });
  return {
    date: (at: Date) => format.dateTime(at, { year: "numeric", month: "long", day: "numeric" }),
    money: (amount: number, currency: string) => formatMoney({ amount, currency }),
  };
}

export const STATUS_TONE: Record<SubscriptionStatus, BadgeTone> = {
  active: "success",
  trialing: "info",
  past_due: "warning",
  unpaid: "danger",
  paused: "neutral",
  incomplete: "warning",
  canceled: "muted",
  withdrawn: "muted",
};
