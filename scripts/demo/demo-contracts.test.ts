import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { merchants, subscriptions } from "@/db/schema";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { fixedClock } from "@/lib/services/context";
import { newId } from "@/lib/ids";
import { seedDemoContracts } from "./demo-contracts";
import { testPlatform } from "@/test/support/platform";

describe("demo merchant's contracts", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it.each(["2026-11-21T03:00:00Z", "2027-03-01T15:00:00Z", "2028-02-29T12:00:00Z"])("lives its history into every state (today %s)", async (today) => {
    const merchantId = newId("mer");
    await database.db.insert(merchants).values({ id: merchantId, name: "デモ", email: `${merchantId}@demo.test`, billingSettings: DEFAULT_BILLING_SETTINGS });
    await seedDemoContracts({ platform: testPlatform(database.db, { clock: fixedClock(new Date(today)) }), merchantId });
    const rows = await database.db.select({ status: subscriptions.status, cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd }).from(subscriptions).where(eq(subscriptions.merchantId, merchantId));
    const statuses = new Set(rows.map((r) => r.status));
    expect([...statuses].sort()).toEqual(["active", "canceled", "incomplete", "past_due", "trialing", "unpaid", "withdrawn"]);
    expect(rows.some((r) => r.status === "active" && r.cancelAtPeriodEnd)).toBe(true);
  });
});
