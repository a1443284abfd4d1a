import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { apiIdempotencyKeys, customerSessions, customerTokens, gatewayEvents, signInThrottles, staffInvitations, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { openIsolatedTestDatabase } from "@/test/support/inngest";
import { setupTestMerchant } from "@/test/support/merchant";
import { fixedClock } from "./context";
import { createCustomer } from "./create-customer";
import { idAt, purgeExpired } from "./purge-expired";

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
    expect(await purgeExpired({ db: database.db, clock: fixedClock(NOW) })).toEqual({ customerSessions: 0, customerTokens: 0, idempotencyKeys: 0, signInThrottles: 0, staffInvitations: 0, webhookDeliveries: 0, events: 0, gatewayEvents: 0 });
  });

  it("deletes events, their deliveries and logs, and received gateway events past their retention; never one still in flight", async () => {
    const m = await setupTestMerchant(database, { now: NOW });
    // Ids made at a given time, as lib/ids.ts makes them (time-ordered).
    const made = (prefix: string, days: number, tail: string) => idAt(prefix, ago(days * DAY)).slice(0, -tail.length) + tail;
    const event = (days: number, tail: string) => ({ id: made("evt", days, tail), merchantId: m.merchantId, type: "customer.created", objectType: "customer", objectId: "cus_1", object: { id: "cus_1" } });
    await database.db.insert(webhookEvents).values([event(31, "a1"), event(31, "a2"), event(29, "a3"), event(31, "a4")]);
    const [endpoint] = await database.db.insert(webhookEndpoints).values({ id: "we_purge", merchantId: m.merchantId, url: "https://example.jp/hooks", enabledEvents: ["*"], secret: "whsec_x" }).returning();
    const delivery = (eventTail: string, days: number, status: "delivered" | "pending" | "failed") => ({ id: made("whd", days, `d${eventTail}`), merchantId: m.merchantId, endpointId: endpoint!.id, eventId: made("evt", days, eventTail), status });
    await database.db.insert(webhookDeliveries).values([delivery("a1", 31, "delivered"), delivery("a2", 31, "pending"), delivery("a3", 29, "delivered")]);
    await database.db.insert(webhookAttempts).values({ id: "wha_purge", merchantId: m.merchantId, deliveryId: made("whd", 31, "da1"), endpointId: endpoint!.id, eventId: made("evt", 31, "a1"), attemptNumber: 1, url: endpoint!.url, requestHeaders: {}, requestBody: "{}", statusCode: 200, durationMs: 5, at: ago(31 * DAY) });
    const received = (days: number, tail: string, status: "pending" | "processed" | "ignored" | "failed") => ({
      id: made("gev", days, tail),
      merchantId: m.merchantId,
      gateway: "stripe",
      eventId: `evt_stripe_${tail}`,
      type: "charge.refunded",
      livemode: "test" as const,
      payload: {},
      occurredAt: ago(days * DAY),
      receivedAt: ago(days * DAY),
      status,
    });
    await database.db.insert(gatewayEvents).values([received(31, "g1", "processed"), received(31, "g2", "ignored"), received(31, "g3", "failed"), received(91, "g4", "failed"), received(31, "g5", "pending"), received(29, "g6", "processed")]);

    const counts = await purgeExpired({ db: database.db, clock: fixedClock(NOW) });
    expect(counts).toMatchObject({ webhookDeliveries: 1, events: 2, gatewayEvents: 3 });
    const left = async <T extends { id: string }>(rows: Promise<T[]>) => (await rows).map((r) => r.id.slice(-3)).sort();
    expect(await left(database.db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.merchantId, m.merchantId)))).toEqual(["0a2", "0a3"]);
    expect(await left(database.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, m.merchantId)))).toEqual(["da2", "da3"]);
    expect(await database.db.select().from(webhookAttempts).where(eq(webhookAttempts.merchantId, m.merchantId))).toEqual([]);
    expect((await database.db.select({ id: gatewayEvents.eventId }).from(gatewayEvents).where(eq(gatewayEvents.merchantId, m.merchantId))).map((r) => r.id).sort()).toEqual(["evt_stripe_g3", "evt_stripe_g5", "evt_stripe_g6"]);
  });
});
