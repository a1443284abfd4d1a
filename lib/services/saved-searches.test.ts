import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import type { ServiceContext } from "./context";
import { staffContext } from "./contexts";
import { createSavedSearch } from "./create-saved-search";
import { createStaffUser } from "./create-staff-user";
import { deleteSavedSearch } from "./delete-saved-search";
import { listSavedSearches } from "./queries/saved-searches";
import { renameSavedSearch } from "./rename-saved-search";
import { updateSavedSearch } from "./update-saved-search";

/** Saved searches (保存した検索条件): shared by a merchant's team; viewers apply them but do not change them. */
let database: Database;
let m: TestMerchant;
let other: TestMerchant;
const as: Partial<Record<StaffRole, ServiceContext>> = {};

async function staff(merchant: TestMerchant, role: StaffRole): Promise<ServiceContext> {
  const user = await createStaffUser(merchant.ctx(), { email: `${role}-${randomUUID()}@staff.test`, name: `${role} さん`, password: "staff-password", role });
  return staffContext(testPlatform(database.db), { merchantId: merchant.merchantId, staffUserId: user.staffUserId, role });
}

beforeAll(async () => {
  database = await openTestDatabase();
  m = await setupTestMerchant(database);
  other = await setupTestMerchant(database);
  for (const role of ["owner", "operator", "viewer"] as const) as[role] = await staff(m, role);
});
afterAll(async () => database?.close());

const unpaid = { status: ["unpaid" as const], daysUnpaidMin: 60, sort: "days_unpaid" as const, desc: true };

describe("saved searches", () => {
  it("an operator saves a search; the whole team, viewers included, lists it with its search read back", async () => {
    const saved = await createSavedSearch(as.operator!, { name: "  未払い60日以上  ", search: unpaid });
    expect(saved).toMatchObject({ name: "未払い60日以上", merchantId: m.merchantId });
    const listed = await listSavedSearches(as.viewer!);
    expect(listed.map((s) => s.name)).toContain("未払い60日以上");
    expect(listed.find((s) => s.id === saved.id)!.search).toEqual({ ...unpaid, perPage: 25 });
    expect(await listSavedSearches(other.ctx())).toEqual([]);
    const [audit] = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, saved.id));
    expect(audit).toMatchObject({ action: "saved_search.created", actorType: "staff" });
  });

  it("renames, updates and deletes; the list follows, in name order", async () => {
    const a = await createSavedSearch(as.owner!, { name: "b 検索", search: { q: "山田" } });
    await createSavedSearch(as.owner!, { name: "a 検索", search: {} });
    await renameSavedSearch(as.operator!, { id: a.id, name: "c 検索" });
    await updateSavedSearch(as.operator!, { id: a.id, search: { q: "佐藤", sort: "customer_name", desc: false, perPage: 100 } });
    let names = (await listSavedSearches(as.viewer!)).map((s) => s.name);
    expect(names.indexOf("a 検索")).toBeLessThan(names.indexOf("c 検索"));
    expect((await listSavedSearches(as.viewer!)).find((s) => s.id === a.id)!.search).toMatchObject({ q: "佐藤", sort: "customer_name", desc: false, perPage: 100 });
    await deleteSavedSearch(as.operator!, { id: a.id });
    names = (await listSavedSearches(as.viewer!)).map((s) => s.name);
    expect(names).not.toContain("c 検索");
  });

  it("refuses a viewer every change, with nothing changed", async () => {
    const saved = await createSavedSearch(as.owner!, { name: "閲覧者テスト", search: {} });
    for (const attempt of [
      createSavedSearch(as.viewer!, { name: "閲覧者の検索", search: {} }),
      renameSavedSearch(as.viewer!, { id: saved.id, name: "変更" }),
      updateSavedSearch(as.viewer!, { id: saved.id, search: { q: "x" } }),
      deleteSavedSearch(as.viewer!, { id: saved.id }),
    ]) {
      const error = await rejection(attempt);
      expect(error).toMatchObject({ code: "forbidden", details: { reason: "role" } });
    }
    const listed = (await listSavedSearches(as.viewer!)).find((s) => s.id === saved.id)!;
    expect(listed).toMatchObject({ name: "閲覧者テスト", search: { status: [], sort: "created_at" } });
    expect((await listSavedSearches(as.viewer!)).map((s) => s.name)).not.toContain("閲覧者の検索");
  });

  it("one name per merchant: a second is a conflict, and another merchant may use it", async () => {
    await createSavedSearch(as.operator!, { name: "重複", search: {} });
    const again = await rejection(createSavedSearch(as.owner!, { name: "重複", search: { q: "x" } }));
    expect(again).toMatchObject({ code: "conflict", details: { reason: "saved_search_name_taken" } });
    const other2 = await createSavedSearch(as.owner!, { name: "重複しない", search: {} });
    expect((await rejection(renameSavedSearch(as.owner!, { id: other2.id, name: "重複" }))).details.reason).toBe("saved_search_name_taken");
    expect(await createSavedSearch(other.ctx(), { name: "重複", search: {} })).toMatchObject({ merchantId: other.merchantId });
  });

  it("another merchant's saved search is not found to this team", async () => {
    const theirs = await createSavedSearch(other.ctx(), { name: "よその検索", search: {} });
    expect((await rejection(renameSavedSearch(as.owner!, { id: theirs.id, name: "奪う" }))).code).toBe("not_found");
    expect((await rejection(updateSavedSearch(as.owner!, { id: theirs.id, search: {} }))).code).toBe("not_found");
    expect((await rejection(deleteSavedSearch(as.owner!, { id: theirs.id }))).code).toBe("not_found");
    expect((await listSavedSearches(other.ctx())).map((s) => s.name)).toContain("よその検索");
  });

  it("bad input is refused with its field", async () => {
    expect((await rejection(createSavedSearch(as.owner!, { name: "   ", search: {} }))).details.param).toBe("name");
    expect((await rejection(createSavedSearch(as.owner!, { name: "x".repeat(61), search: {} }))).details.param).toBe("name");
    expect((await rejection(createSavedSearch(as.owner!, { name: "不正", search: { sort: "merchant_id" as never } }))).details.param).toBe("search.sort");
  });
});
