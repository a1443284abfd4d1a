/**
 * The contracts workspace's columns: what the table can show (the staff member picks, the URL keeps it as `cols`)
 * and what the CSV export writes for each, in this order. The contract id is always the CSV's first column.
 */
export const SUBSCRIPTION_COLUMNS = ["customer", "plan", "amount", "status", "paidThrough", "daysUnpaid", "nextAction", "card", "createdAt", "testClock", "id"] as const;
export type SubscriptionColumn = (typeof SUBSCRIPTION_COLUMNS)[number];

/** Shown until the staff member chooses otherwise. */
export const DEFAULT_COLUMNS: readonly SubscriptionColumn[] = ["customer", "plan", "amount", "status", "paidThrough", "daysUnpaid", "nextAction", "card", "createdAt"];

/** The CSV fields each column stands for. */
export const CSV_FIELDS = {
  id: [],
  customer: ["customerId", "customerName", "customerEmail"],
  plan: ["productName", "planName"],
  amount: ["amount", "currency"],
  status: ["status"],
  paidThrough: ["paidThrough"],
  daysUnpaid: ["daysUnpaid"],
  nextAction: ["nextActionKind", "nextActionAt"],
  card: ["cardBrand", "cardLast4", "cardExpiry"],
  createdAt: ["createdAt"],
  testClock: ["testClock"],
} as const satisfies Record<SubscriptionColumn, readonly string[]>;

export type CsvField = "contractId" | (typeof CSV_FIELDS)[SubscriptionColumn][number];

/** The CSV's fields for the visible columns: the contract id, then each column's in the table's order. */
export function csvFields(columns: readonly SubscriptionColumn[]): CsvField[] {
  return ["contractId", ...SUBSCRIPTION_COLUMNS.filter((c) => columns.includes(c)).flatMap((c) => CSV_FIELDS[c])];
}
