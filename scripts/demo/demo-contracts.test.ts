import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { customers, mails, merchants, paymentAttempts, paymentMethods, scheduledActions, subscriptions } from "@/db/schema";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { SUBSCRIPTION_STATUSES } from "@/lib/billing/subscription-state";
import { fixedClock } from "@/lib/services/context";
import { newId } from "@/lib/ids";
import { openTestDatabase } from "@/test/support/database";
import { testPlatform } from "@/test/support/platform";
import { seedDemoContracts } from "./demo-contracts";

/** Enough stories for each variant the checks below look for (most repeat every 10th contract). */
const PER_STATUS = 10;

describe("demo merchant's contracts", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it.each(["2026-03-31T15:00:00Z", "2028-02-29T12:00:00Z"])(
    "lives its history into exactly the planned count of every status (today %s)",
    async (today) => {
      const { db } = database;
      const merchantId = newId("mer");
      await db.insert(merchants).values({ id: merchantId, name: "デモ", email: `${merchantId}@demo.test`, billingSettings: DEFAULT_BILLING_SETTINGS });
      await seedDemoContracts({ platform: testPlatform(db, { clock: fixedClock(new Date(today)) }), merchantId, contractsPerStatus: PER_STATUS });

      const counts = await db
        .select({ status: subscriptions.status, onClock: sql<boolean>`${subscriptions.testClockId} is not null`, n: sql<number>`count(*)::int` })
        .from(subscriptions)
        .where(eq(subscriptions.merchantId, merchantId))
        .groupBy(subscriptions.status, sql`${subscriptions.testClockId} is not null`);
      const real = Object.fromEntries(counts.filter((c) => !c.onClock).map((c) => [c.status, c.n]));
      expect(real).toEqual(Object.fromEntries(SUBSCRIPTION_STATUSES.map((s) => [s, PER_STATUS])));
      // The test clock's three customers: a converted trial, a yoga member, and a card declining into retries.
      const onClock = Object.fromEntries(counts.filter((c) => c.onClock).map((c) => [c.status, c.n]));
      expect(onClock).toEqual({ active: 2, past_due: 1 });

      // Lived, not written: the runner ran renewals, retries, dunning and withdrawals; nothing due is left behind.
      const actions = await db
        .select({ kind: scheduledActions.kind, status: scheduledActions.status, outcome: scheduledActions.outcome, n: sql<number>`count(*)::int` })
        .from(scheduledActions)
        .where(and(eq(scheduledActions.merchantId, merchantId), isNull(scheduledActions.testClockId)))
        .groupBy(scheduledActions.kind, scheduledActions.status, scheduledActions.outcome);
      const ran = (kind: string, outcome: string) => actions.filter((a) => a.kind === kind && a.status === "done" && a.outcome === outcome).reduce((n, a) => n + a.n, 0);
      expect(ran("renewal", "paid")).toBeGreaterThan(PER_STATUS * 4);
      expect(ran("renewal", "failed")).toBeGreaterThan(0);
      expect(ran("retry", "failed")).toBeGreaterThan(PER_STATUS);
      expect(ran("retry", "paid")).toBeGreaterThan(0); // the active contracts whose card was fixed in time
      expect(ran("withdrawal", "withdrawn")).toBe(PER_STATUS);
      const [overdue] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(scheduledActions)
        .where(and(eq(scheduledActions.merchantId, merchantId), isNull(scheduledActions.testClockId), eq(scheduledActions.status, "pending"), sql`${scheduledActions.dueAt} <= ${today}`));
      expect(overdue!.n).toBe(0);

      // Every overdue contract was told: an unpaid notice for each unpaid and withdrawn contract.
      const [notices] = await db.select({ n: sql<number>`count(distinct ${mails.subscriptionId})::int` }).from(mails).where(and(eq(mails.merchantId, merchantId), eq(mails.template, "unpaid_notice")));
      expect(notices!.n).toBeGreaterThanOrEqual(PER_STATUS * 2);
      // Declines came from the sandbox's test cards and behaviours, with its failure codes.
      const codes = await db.selectDistinct({ code: paymentAttempts.failureCode }).from(paymentAttempts).where(and(eq(paymentAttempts.merchantId, merchantId), isNotNull(paymentAttempts.failureCode)));
      expect(codes.map((c) => c.code).sort()).toEqual(["card_declined", "expired_card", "insufficient_funds", "lost_card"]);

      const active = await db.select().from(subscriptions).where(and(eq(subscriptions.merchantId, merchantId), eq(subscriptions.status, "active"), isNull(subscriptions.testClockId)));
      expect(active.filter((s) => s.cancelAtPeriodEnd)).toHaveLength(Math.ceil(PER_STATUS / 10));
      const paused = await db.select().from(subscriptions).where(and(eq(subscriptions.merchantId, merchantId), eq(subscriptions.status, "paused")));
      expect(paused.some((s) => s.resumeAt !== null) && paused.some((s) => s.resumeAt === null)).toBe(true);

      // Spread over months: sign-ups from more than six months ago up to the last days.
      const [span] = await db
        .select({ days: sql<number>`extract(epoch from (max(${subscriptions.createdAt}) - min(${subscriptions.createdAt}))) / 86400` })
        .from(subscriptions)
        .where(and(eq(subscriptions.merchantId, merchantId), isNull(subscriptions.testClockId)));
      expect(Number(span!.days)).toBeGreaterThan(180);

      // People with an address and a phone; one who canceled a contract and holds another; an expired card on file.
      const people = await db.select().from(customers).where(eq(customers.merchantId, merchantId));
      expect(people.every((c) => c.testClockId !== null || (c.phone && c.address?.prefecture))).toBe(true);
      const [twice] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(sql`(select ${subscriptions.customerId} from ${subscriptions} where ${subscriptions.merchantId} = ${merchantId} group by 1 having count(*) > 1) as t`);
      expect(twice!.n).toBeGreaterThan(0);
      const cards = await db.select().from(paymentMethods).where(eq(paymentMethods.merchantId, merchantId));
      const now = new Date(today);
      expect(cards.some((c) => c.expYear * 12 + c.expMonth < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1)).toBe(true);
      expect(new Set(cards.map((c) => c.brand))).toEqual(new Set(["visa", "mastercard", "jcb", "amex"]));
    },
    120_000,
  );
});
