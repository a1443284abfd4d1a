import { currencyExponent } from "@/lib/billing/money";
import type { ActionKind } from "@/lib/billing/scheduled-action";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import type { CsvField } from "@/lib/console/subscription-columns";
import type { SubscriptionSearchRow } from "@/lib/services/queries/subscription-search";
import type { CsvCell } from "./csv-download";

/** The words of the export in the reader's language (the page's translations). */
export type CsvWords = { header(field: CsvField): string; status(status: SubscriptionStatus): string; actionKind(kind: ActionKind): string };

/**
 * Rows of the contracts export as Excel reads them: dates and times in the merchant's time zone ("2027/02/15",
 * "2027/02/15 09:00"), amounts as plain numbers in the currency's main unit (1500, 15.00) beside the currency, so that
 * a spreadsheet can add them up; statuses and actions in words.
 */
export function subscriptionCsv(fields: readonly CsvField[], words: CsvWords, timeZone: string) {
  const date = new Intl.DateTimeFormat("ja-JP", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const cell: Record<CsvField, (row: SubscriptionSearchRow) => CsvCell> = {
    contractId: (r) => r.id,
    customerId: (r) => r.customerId,
    customerName: (r) => r.customerName,
    customerEmail: (r) => r.customerEmail,
    productName: (r) => r.productName,
    planName: (r) => r.planName,
    amount: (r) => {
      const exponent = currencyExponent(r.currency);
      return exponent === 0 ? r.amount : (r.amount / 10 ** exponent).toFixed(exponent);
    },
    currency: (r) => r.currency.toUpperCase(),
    status: (r) => words.status(r.status),
    paidThrough: (r) => (r.paidThrough ? date.format(r.paidThrough) : null),
    daysUnpaid: (r) => r.daysUnpaid,
    nextActionKind: (r) => (r.nextActionKind ? words.actionKind(r.nextActionKind) : null),
    nextActionAt: (r) => (r.nextActionAt ? dateTime.format(r.nextActionAt) : null),
    cardBrand: (r) => r.card?.brand ?? null,
    cardLast4: (r) => r.card?.last4 ?? null,
    cardExpiry: (r) => (r.card ? `${r.card.expYear}/${String(r.card.expMonth).padStart(2, "0")}` : null),
    createdAt: (r) => dateTime.format(r.createdAt),
    testClock: (r) => (r.testClock ? (r.testClock.name ?? r.testClock.id) : null),
  };
  return {
    header: fields.map((f) => words.header(f)),
    row: (r: SubscriptionSearchRow): CsvCell[] => fields.map((f) => cell[f](r)),
  };
}
