import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, savedSearches, staffUsers } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import { newId } from "@/lib/ids";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { currentStaff } from "./sign-in-staff";
import { staffContext } from "./contexts";
import { listStaff } from "./queries/team";
import { changeStaffRole, removeStaff } from "./team";

describe("the team: roles and removal", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  async function member(m: TestMerchant, role: StaffRole, name: string = role) {
    const id = newId("usr");
    await database.db.insert(staffUsers).values({ id, merchantId: m.merchantId, email: `${id}@merchant.test`, name, passwordHash: "x", role });
    return { id, ctx: staffContext(testPlatform(database.db), { merchantId: m.merchantId, staffUserId: id, role }) };
  }
  const roleOf = async (m: TestMerchant, id: string) => (await listStaff(m.ctx())).find((s) => s.id === id)?.role;

  it("the last owner can be neither demoted nor removed, by anyone; with a second owner, either can go", async () => {
    const m = await setupTestMerchant(database);
    const owner = await member(m, "owner");
    await expect(changeStaffRole(owner.ctx, { staffUserId: owner.id, role: "admin" })).rejects.toMatchObject({ code: "conflict", details: { reason: "last_owner" } });
    await expect(removeStaff(owner.ctx, { staffUserId: owner.id })).rejects.toMatchObject({ code: "conflict", details: { reason: "last_owner" } });
    await expect(removeStaff(m.ctx(), { staffUserId: owner.id })).rejects.toMatchObject({ code: "conflict", details: { reason: "last_owner" } });
    expect(await roleOf(m, owner.id)).toBe("owner");

    const second = await member(m, "admin", "二人目");
    await changeStaffRole(owner.ctx, { staffUserId: second.id, role: "owner" });
    // The console reads the member again at each request: the promoted one now acts as an owner.
    const secondAsOwner = staffContext(testPlatform(database.db), { merchantId: m.merchantId, staffUserId: second.id, role: "owner" });
    await changeStaffRole(secondAsOwner, { staffUserId: owner.id, role: "viewer" });
    expect(await roleOf(m, owner.id)).toBe("viewer");
    // Now the second is the last owner.
    await expect(removeStaff(secondAsOwner, { staffUserId: second.id })).rejects.toMatchObject({ details: { reason: "last_owner" } });
  });

  it("two owners demoting each other at once leave one owner", async () => {
    const m = await setupTestMerchant(database);
    const a = await member(m, "owner", "A");
    const b = await member(m, "owner", "B");
    const results = await Promise.allSettled([changeStaffRole(a.ctx, { staffUserId: b.id, role: "admin" }), removeStaff(b.ctx, { staffUserId: a.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await listStaff(m.ctx())).filter((s) => s.role === "owner")).toHaveLength(1);
  });

  it("admins manage non-owners only; operators and viewers manage nobody; another merchant's member is unknown", async () => {
    const m = await setupTestMerchant(database);
    const owner = await member(m, "owner");
    const admin = await member(m, "admin");
    const operator = await member(m, "operator");
    const viewer = await member(m, "viewer");
    await changeStaffRole(admin.ctx, { staffUserId: operator.id, role: "viewer" });
    expect(await roleOf(m, operator.id)).toBe("viewer");
    await expect(changeStaffRole(admin.ctx, { staffUserId: viewer.id, role: "owner" })).rejects.toMatchObject({ code: "forbidden", details: { reason: "owner_only" } });
    await expect(changeStaffRole(admin.ctx, { staffUserId: owner.id, role: "admin" })).rejects.toMatchObject({ code: "forbidden", details: { reason: "owner_only" } });
    await expect(removeStaff(admin.ctx, { staffUserId: owner.id })).rejects.toMatchObject({ code: "forbidden", details: { reason: "owner_only" } });
    await expect(changeStaffRole(operator.ctx, { staffUserId: viewer.id, role: "admin" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(removeStaff(viewer.ctx, { staffUserId: operator.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(changeStaffRole(owner.ctx, { staffUserId: viewer.id, role: "boss" as StaffRole })).rejects.toMatchObject({ code: "invalid", details: { param: "role" } });
    const other = await setupTestMerchant(database);
    const stranger = await member(other, "viewer");
    await expect(removeStaff(owner.ctx, { staffUserId: stranger.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await roleOf(other, stranger.id)).toBe("viewer");
    expect(await roleOf(m, owner.id)).toBe("owner");
  });

  it("removes a member: their login is gone at once, what they made stays, the audit keeps who they were", async () => {
    const m = await setupTestMerchant(database);
    const owner = await member(m, "owner");
    const leaving = await member(m, "operator", "退職者");
    const searchId = newId("srch");
    await database.db.insert(savedSearches).values({ id: searchId, merchantId: m.merchantId, name: "未払い", search: {}, createdBy: leaving.id });
    await removeStaff(owner.ctx, { staffUserId: leaving.id });
    expect(await currentStaff({ db: database.db }, leaving.id)).toBeNull();
    expect(await roleOf(m, leaving.id)).toBeUndefined();
    const [search] = await database.db.select().from(savedSearches).where(eq(savedSearches.id, searchId));
    expect(search).toMatchObject({ name: "未払い", createdBy: null });
    const [audit] = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, leaving.id));
    expect(audit).toMatchObject({ action: "staff.removed", actorId: owner.id, data: { name: "退職者", role: "operator" } });
  });
});
