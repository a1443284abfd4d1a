import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { apiIdempotencyKeys, customerSessions, customerTokens, signInThrottles, staffInvitations } from "@/db/schema";
import { openIsolatedTestDatabase } from "@/test/support/inngest";
import { setupTestMerchant } from "@/test/support/merchant";
import { fixedClock } from "./context";
import { createCustomer } from "./create-customer";
import { purgeExpired } from "./purge-expired";

const NOW = new Date("2027-03-10T03:00:00Z");
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const DAY = 24 * 60;

describe("purgeExpired", () => {
  let database: Database;
  beforeAll(async () => {
    // A database of its own: the purge acts on every merchant's rows, and other files' rows must not be in its way
    // (nor theirs be purged under them).
    database = await openIsolatedTestDatabase();
  });
  afterAll(async () => database.close());

  it("deletes sessions, mailed tokens, staff invitations and idempotency records a day past expiry, and forgotten throttle counters; keeps the rest", async () => {
    const m = await setupTestMerchant(database, { now: NOW });
    const customer = await createCustomer(m.ctx(), { email: "purge@example.jp", name: "消去 確認" });
    const who = { merchantId: m.merchantId, customerId: customer.id };
    const session = (id: string, expiresAt: Date) => ({ id, tokenHash: crypto.randomUUID(), ...who, expiresAt });
    await database.db.insert(customerSessions).values([session("ses_old", ago(2 * DAY)), session("ses_grace", ago(60)), session("ses_live", ago(-60))]);
    const token = (id: string, expiresAt: Date) => ({ id, tokenHash: crypto.randomUUID(), ...who, purpose: "sign_in" as const, expiresAt });
    await database.db.insert(customerTokens).values([token("ctk_old", ago(2 * DAY)), token("ctk_grace", ago(60)), token("ctk_live", ago(-15))]);
    const record = (key: string, expiresAt: Date, lockedUntil: Date | null = null) => ({ merchantId: m.merchantId, key, requestHash: "h", status: "completed" as const, expiresAt, lockedUntil });
    await database.db.insert(apiIdempotencyKeys).values([record("idem-old", ago(2 * DAY)), record("idem-live", ago(-DAY)), record("idem-in-flight", ago(2 * DAY), ago(-1))]);
    const counter = (key: string, lastFailedAt: Date, lockedUntil: Date | null = null) => ({ key, failures: 12, firstFailedAt: lastFailedAt, lastFailedAt, lockedUntil });
    await database.db.insert(signInThrottles).values([counter("purge:forgotten", ago(2 * 60)), counter("purge:recent", ago(10)), counter("purge:locked", ago(2 * 60), ago(-5))]);

    const invitation = (id: string, expiresAt: Date, acceptedAt: Date | null = null) => ({ id, merchantId: m.merchantId, email: `${id}@example.jp`, role: "viewer" as const, expiresAt, acceptedAt });
    await database.db.insert(staffInvitations).values([invitation("sinv_old", ago(2 * DAY)), invitation("sinv_used_old", ago(3 * DAY), ago(9 * DAY)), invitation("sinv_grace", ago(60)), invitation("sinv_live", ago(-DAY))]);

    const counts = await purgeExpired({ db: database.db, clock: fixedClock(NOW) });
    expect(counts).toMatchObject({ customerSessions: 1, customerTokens: 1, idempotencyKeys: 1, signInThrottles: 1, staffInvitations: 2 });
    expect((await database.db.select({ id: staffInvitations.id }).from(staffInvitations).where(eq(staffInvitations.merchantId, m.merchantId))).map((r) => r.id).sort()).toEqual(["sinv_grace", "sinv_live"]);
    expect((await database.db.select({ id: customerSessions.id }).from(customerSessions).where(eq(customerSessions.customerId, customer.id))).map((r) => r.id).sort()).toEqual(["ses_grace", "ses_live"]);
    expect((await database.db.select({ id: customerTokens.id }).from(customerTokens).where(eq(customerTokens.customerId, customer.id))).map((r) => r.id).sort()).toEqual(["ctk_grace", "ctk_live"]);
    expect((await database.db.select({ key: apiIdempotencyKeys.key }).from(apiIdempotencyKeys).where(eq(apiIdempotencyKeys.merchantId, m.merchantId))).map((r) => r.key).sort()).toEqual(["idem-in-flight", "idem-live"]);
    const throttles = await database.db.select({ key: signInThrottles.key }).from(signInThrottles).where(inArray(signInThrottles.key, ["purge:forgotten", "purge:recent", "purge:locked"]));
    expect(throttles.map((r) => r.key).sort()).toEqual(["purge:locked", "purge:recent"]);

    // Run again (or from a second process): nothing left to do.
    expect(await purgeExpired({ db: database.db, clock: fixedClock(NOW) })).toEqual({ customerSessions: 0, customerTokens: 0, idempotencyKeys: 0, signInThrottles: 0, staffInvitations: 0 });
  });
});
