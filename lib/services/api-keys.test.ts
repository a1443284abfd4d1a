import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { apiKeys, auditEvents } from "@/db/schema";
import { authenticateApiKey } from "@/lib/auth/authenticate-api-key";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { createApiKey, revokeApiKey } from "./api-keys";
import { fixedClock } from "./context";
import { staffContext } from "./contexts";
import { listApiKeys } from "./queries/api-keys";

describe("API keys from the console", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;
  const now = new Date("2027-01-01T00:00:00Z");
  const as = (who: TestMerchant, role: "owner" | "admin" | "operator" | "viewer") =>
    staffContext(testPlatform(database.db, { clock: fixedClock(now) }), { merchantId: who.merchantId, staffUserId: `usr_${role}`, role });

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
    other = await setupTestMerchant(database);
  });
  afterAll(() => database.close());

  it("creates a key shown once: it authenticates, only its hash and prefix are stored, and the list never carries either secret", async () => {
    const created = await createApiKey(as(m, "admin"), { name: "  会計システム連携 " });
    expect(created.name).toBe("会計システム連携");
    expect(created.secretKey.startsWith(created.displayPrefix)).toBe(true);
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row!.keyHash).not.toContain(created.secretKey);
    expect(JSON.stringify(row)).not.toContain(created.secretKey);
    expect(await authenticateApiKey(database.db, created.secretKey, now)).toEqual({ merchantId: m.merchantId, apiKeyId: created.id });

    const list = await listApiKeys(m.ctx());
    const listed = list.find((k) => k.id === created.id)!;
    expect(listed).toMatchObject({ name: "会計システム連携", displayPrefix: created.displayPrefix, revokedAt: null });
    expect(listed.lastUsedAt).toEqual(now);
    expect(JSON.stringify(list)).not.toContain(created.secretKey);
    expect(Object.keys(listed)).not.toContain("keyHash");
    expect(await listApiKeys(other.ctx())).toEqual([]);

    const [audit] = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, created.id));
    expect(audit).toMatchObject({ action: "api_key.created", actorType: "staff", actorId: "usr_admin" });
  });

  it("records the last use at most once a minute", async () => {
    const created = await createApiKey(as(m, "owner"), { name: "頻繁に使う鍵" });
    const lastUsed = async () => (await listApiKeys(m.ctx())).find((k) => k.id === created.id)!.lastUsedAt;
    await authenticateApiKey(database.db, created.secretKey, now);
    await authenticateApiKey(database.db, created.secretKey, new Date(now.getTime() + 30_000));
    expect(await lastUsed()).toEqual(now);
    const later = new Date(now.getTime() + 61_000);
    await authenticateApiKey(database.db, created.secretKey, later);
    expect(await lastUsed()).toEqual(later);
  });

  it("revokes a key: it stops authenticating at once, and revoking again changes nothing", async () => {
    const created = await createApiKey(as(m, "owner"), { name: "古い鍵" });
    const revoked = await revokeApiKey(as(m, "owner"), { apiKeyId: created.id });
    expect(revoked.revokedAt).toEqual(now);
    expect(await authenticateApiKey(database.db, created.secretKey, now)).toBeNull();
    const later = { ...as(m, "owner"), clock: fixedClock(new Date(now.getTime() + 3_600_000)) };
    expect((await revokeApiKey(later, { apiKeyId: created.id })).revokedAt).toEqual(now);
    const audits = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, created.id));
    expect(audits.map((a) => a.action).sort()).toEqual(["api_key.created", "api_key.revoked"]);
  });

  it("refuses operators and viewers, a blank name, and another merchant's key, changing nothing", async () => {
    await expect(createApiKey(as(m, "operator"), { name: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createApiKey(as(m, "viewer"), { name: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createApiKey(as(m, "owner"), { name: "   " })).rejects.toMatchObject({ code: "invalid", details: { param: "name" } });
    const theirs = await createApiKey(as(other, "owner"), { name: "他店の鍵" });
    await expect(revokeApiKey(as(m, "owner"), { apiKeyId: theirs.id })).rejects.toMatchObject({ code: "not_found" });
    const mine = await createApiKey(as(m, "owner"), { name: "残る鍵" });
    await expect(revokeApiKey(as(m, "viewer"), { apiKeyId: mine.id })).rejects.toMatchObject({ code: "forbidden" });
    expect((await listApiKeys(other.ctx())).map((k) => k.revokedAt)).toEqual([null]);
    expect((await listApiKeys(m.ctx())).find((k) => k.id === mine.id)!.revokedAt).toBeNull();
    expect((await listApiKeys(m.ctx())).some((k) => k.name === "x")).toBe(false);
  });
});
