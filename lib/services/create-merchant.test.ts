import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeys, auditEvents, merchants, staffUsers } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { hashSecretKey, looksLikeSecretKey } from "@/lib/auth/api-key";
import { verifyPassword } from "@/lib/auth/password";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { fixedClock, type Actor } from "./context";
import { createMerchant } from "./create-merchant";
import { ServiceError } from "./errors";

const operator: Actor = { type: "operator", id: "test" };
const clock = fixedClock(new Date("2025-01-10T03:00:00Z"));
/** Unique per run: the PostgreSQL test database is shared by every test file of a run. */
const uniqueEmail = (label: string) => `${label}-${randomUUID()}@example.test`;

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function rowsFor(email: string, name: string) {
  const db = database.db;
  return {
    merchants: await db.select().from(merchants).where(eq(merchants.name, name)),
    merchantsByEmail: await db.select().from(merchants).where(eq(merchants.email, email)),
    staff: await db.select().from(staffUsers).where(eq(staffUsers.email, email)),
  };
}

async function expectServiceError(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

describe("createMerchant", () => {
  it("creates the merchant, its owner login, one API key and an audit row in one go", async () => {
    const email = uniqueEmail("owner");
    const ctx = { db: database.db, actor: operator, clock };
    const result = await createMerchant(ctx, { name: "テスト商店", email: `  ${email.toUpperCase()} `, password: "correct horse" });

    expect(result.merchantId).toMatch(/^mer_[0-9a-f]{32}$/);
    expect(result.staffUserId).toMatch(/^usr_/);
    expect(looksLikeSecretKey(result.secretKey)).toBe(true);
    expect(result.secretKey).toMatch(/^sk_[0-9A-Za-z]{32}$/);

    const [merchant] = await database.db.select().from(merchants).where(eq(merchants.id, result.merchantId));
    expect(merchant).toMatchObject({ name: "テスト商店", email, timeZone: "Asia/Tokyo", currency: "jpy" });
    expect(merchant?.billingSettings).toEqual(DEFAULT_BILLING_SETTINGS);
    expect(merchant?.createdAt.toISOString()).toBe("2025-01-10T03:00:00.000Z");

    const staff = await database.db.select().from(staffUsers).where(eq(staffUsers.merchantId, result.merchantId));
    expect(staff).toHaveLength(1);
    expect(staff[0]).toMatchObject({ id: result.staffUserId, email, role: "owner", name: "テスト商店" });
    expect(staff[0]?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(staff[0]!.passwordHash, "correct horse")).toBe(true);
    expect(await verifyPassword(staff[0]!.passwordHash, "wrong horse!")).toBe(false);

    const keys = await database.db.select().from(apiKeys).where(eq(apiKeys.merchantId, result.merchantId));
    expect(keys).toHaveLength(1);
    expect(keys[0]?.keyHash).toBe(hashSecretKey(result.secretKey));
    expect(keys[0]?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(keys[0]?.displayPrefix).toBe(result.secretKey.slice(0, 12));
    expect(JSON.stringify(keys[0])).not.toContain(result.secretKey);

    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.merchantId, result.merchantId), eq(auditEvents.action, "merchant.created")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "operator", actorId: "test", targetType: "merchant", targetId: result.merchantId });
    expect(audit[0]?.occurredAt.toISOString()).toBe("2025-01-10T03:00:00.000Z");
    expect(JSON.stringify(audit[0]?.data)).not.toContain("correct horse");
  });

  it("takes a time zone and a currency", async () => {
    const email = uniqueEmail("tz");
    const ctx = { db: database.db, actor: operator, clock };
    const { merchantId } = await createMerchant(ctx, { name: "NY shop", email, password: "12345678", timeZone: "America/New_York", currency: "USD" });
    const [merchant] = await database.db.select().from(merchants).where(eq(merchants.id, merchantId));
    expect(merchant).toMatchObject({ timeZone: "America/New_York", currency: "usd" });
  });

  it("refuses a second login with the same email and writes nothing", async () => {
    const email = uniqueEmail("dup");
    const ctx = { db: database.db, actor: operator, clock };
    await createMerchant(ctx, { name: `first-${email}`, email, password: "password-1" });

    const secondName = `second-${email}`;
    const error = await expectServiceError(createMerchant(ctx, { name: secondName, email: email.toUpperCase(), password: "password-2" }));
    expect(error.code).toBe("conflict");
    expect(error.details.reason).toBe("email_taken");

    const rows = await rowsFor(email, secondName);
    expect(rows.merchants).toHaveLength(0);
    expect(rows.merchantsByEmail).toHaveLength(1);
    expect(rows.staff).toHaveLength(1);
    expect(await verifyPassword(rows.staff[0]!.passwordHash, "password-1")).toBe(true);
  });

  it("lets only one of two simultaneous sign-ups with one email through", async () => {
    const email = uniqueEmail("race");
    const ctx = { db: database.db, actor: operator, clock };
    const results = await Promise.allSettled([
      createMerchant(ctx, { name: `race-a-${email}`, email, password: "password-a" }),
      createMerchant(ctx, { name: `race-b-${email}`, email, password: "password-b" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect((rejected?.reason as ServiceError).code).toBe("conflict");
    expect((await rowsFor(email, "-")).merchantsByEmail).toHaveLength(1);
  });

  it.each([
    { label: "a bad email", input: { email: "not-an-email" }, param: "email" },
    { label: "a short password", input: { password: "short" }, param: "password" },
    { label: "an unknown time zone", input: { timeZone: "Asia/Atlantis" }, param: "timeZone" },
    { label: "a bad currency", input: { currency: "yen!" }, param: "currency" },
    { label: "an empty name", input: { name: "   " }, param: "name" },
  ])("rejects $label as invalid (param $param) and writes nothing", async ({ input, param }) => {
    const email = uniqueEmail("bad");
    const name = `bad-${email}`;
    const ctx = { db: database.db, actor: operator, clock };
    const error = await expectServiceError(createMerchant(ctx, { name, email, password: "long enough", ...input }));
    expect(error.code).toBe("invalid");
    expect(error.details.param).toBe(param);

    const rows = await rowsFor(email, name);
    expect(rows.merchants).toHaveLength(0);
    expect(rows.merchantsByEmail).toHaveLength(0);
    expect(rows.staff).toHaveLength(0);
  });
});
