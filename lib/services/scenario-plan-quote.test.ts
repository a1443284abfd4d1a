import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { invoiceLines, merchants, products } from "@/db/schema";
import { localDateOf, parseLocalDate, startOfLocalDay } from "@/lib/billing/calendar";
import { quoteSignUp } from "@/lib/billing/sign-up-quote";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, type PlanInput, setupTestMerchant, signedUpContract, type TestMerchant } from "@/test/support/merchant";
import { advanceTestClock } from "./advance-test-clock";
import { planFacts } from "./internal/contract";

/*
 * The catalogue's plan explanation ("本日 ¥3,980（入会金 ¥3,000 を含む）、以降毎月25日に ¥980") is the checkout quote of
 * signing up now. Here the quote is checked against what the engine does: a customer on a test clock signs up at the
 * quoted moment, the clock runs past the second charge, and the first two invoices must have the quote's dates,
 * totals, tax and lines, for each cycle / billing day / first-period rule, with and without trial and joining fee.
 */

const TZ = "Asia/Tokyo";
type Case = { name: string; plan: PlanInput; start: Date };

const cases: Case[] = [];
const starts = [jst("2027-01-10T12:00:00"), jst("2027-01-31T23:30:00")];
for (const billingDay of ["signup", 1, 25, 31] as const) {
  for (const firstPeriod of ["prorate", "full", "free"] as const) {
    // The sign-up day has no partial first period, so its rule is moot: one case of it is enough.
    if (billingDay === "signup" && firstPeriod !== "full") continue;
    for (const [i, start] of starts.entries()) {
      cases.push({
        name: `monthly, day ${billingDay}, ${firstPeriod}, from ${start.toISOString()}${i ? ", trial 10 days, joining fee" : ""}`,
        start,
        plan: { amount: 980, interval: "month", billingDay, firstPeriod, ...(i ? { trialDays: 10, joiningFee: 3000 } : {}) },
      });
    }
  }
}
for (const firstPeriod of ["prorate", "full", "free"] as const) {
  cases.push({ name: `weekly on Wednesday, ${firstPeriod}, joining fee, tax exclusive 8 %`, start: jst("2027-01-10T12:00:00"), plan: { amount: 1500, interval: "week", billingDay: 3, firstPeriod, joiningFee: 500, taxBehavior: "exclusive", taxRate: 8 } });
  cases.push({ name: `every 3 months on the 25th, ${firstPeriod}, trial until a date`, start: jst("2027-01-10T12:00:00"), plan: { amount: 9000, interval: "3month", billingDay: 25, firstPeriod, trialUntil: "2027-02-03" } });
}
cases.push({ name: "every 2 weeks from the sign-up day, tax exclusive 10 %", start: jst("2027-01-10T12:00:00"), plan: { amount: 2000, interval: "2week", taxBehavior: "exclusive" } });
cases.push({ name: "yearly on the 1st, prorated, joining fee", start: jst("2027-03-15T09:00:00"), plan: { amount: 12000, interval: "year", billingDay: 1, firstPeriod: "prorate", joiningFee: 1000 } });

describe("the plan explanation agrees with the first invoices a test clock produces", () => {
  let database: Database;
  let m: TestMerchant;
  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database, { timeZone: TZ });
  });
  afterAll(async () => database.close());

  it.each(cases)("$name", async ({ plan, start }) => {
    const [merchant] = await database.db.select().from(merchants).where(eq(merchants.id, m.merchantId));
    const { subscription, plan: planRow, clock } = await signedUpContract(m, plan, start);
    const [product] = await database.db.select().from(products).where(eq(products.id, planRow.productId));
    const quote = quoteSignUp({ plan: planFacts(planRow, product!), settings: merchant!.billingSettings, timeZone: TZ, now: start });

    // Past the second charge, by a day.
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: startOfLocalDay(parseLocalDate(quote.recurring.date).add({ days: 1 }), TZ) });
    const { invoices } = await contractHistory(database, subscription.id);
    const charged = invoices.filter((i) => i.total > 0);
    expect(charged.length).toBeGreaterThanOrEqual(2);
    const [first, second] = charged;
    const actual = (i: typeof first) => ({ date: localDateOf(i!.issuedAt, TZ).toString(), subtotal: i!.subtotal, tax: i!.tax, total: i!.total, status: i!.status });
    const quoted = (q: typeof quote.first) => ({ date: q.date, subtotal: q.subtotal, tax: q.tax, total: q.total, status: "paid" });
    expect(actual(first)).toEqual(quoted(quote.first));
    expect(actual(second)).toEqual(quoted(quote.recurring));
    expect(first!.issuedAt.getTime() === start.getTime()).toBe(quote.first.atSignUp);
    // Line by line: what each charge is for, as the checkout page itemises it.
    const linesOf = async (invoiceId: string) =>
      (await database.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.position))).map((l) => ({ kind: l.kind, description: l.description, amount: l.amount }));
    const quotedLines = (q: typeof quote.first) => q.lines.map((l) => ({ kind: l.kind, description: l.description, amount: l.amount }));
    expect(await linesOf(first!.id)).toEqual(quotedLines(quote.first));
    expect(await linesOf(second!.id)).toEqual(quotedLines(quote.recurring));
    // The later charges fall where the quote said the pattern goes on.
    expect(localDateOf(second!.periodEnd!, TZ).toString()).toBe(quote.thenOn[0]);
  });
});
