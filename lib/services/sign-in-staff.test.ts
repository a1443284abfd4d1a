import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, signInThrottles } from "@/db/schema";
import { fixedClock } from "./context";
import { operatorContext, staffContext } from "./contexts";
import { createStaffUser } from "./create-staff-user";
import { currentStaff, signInStaff } from "./sign-in-staff";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { newId } from "@/lib/ids";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const t0 = new Date("2027-03-01T00:00:00Z");
const at = (seconds: number) => ({ db: database.db, clock: fixedClock(new Date(t0.getTime() + seconds * 1000)) });

async function staffOf(role: "owner" | "admin" | "operator" | "viewer") {
  const m = await setupTestMerchant(database);
  const email = `${newId("usr")}@staff.test`.toLowerCase();
  const { staffUserId } = await createStaffUser(m.ctx(), { email, name: "担当 花子", password: "correct horse", role });
  return { m, email, staffUserId };
}

describe("signInStaff", () => {
  it("signs in with the right password, whatever the email's case, and audits it", async () => {
    const { email, staffUserId, m } = await staffOf("operator");
    const result = await signInStaff(at(0), { email: ` ${email.toUpperCase()} `, password: "correct horse", address: "192.0.2.1" });
    expect(result).toMatchObject({ ok: true, staff: { staffUserId, merchantId: m.merchantId, role: "operator", locale: "ja" } });
    const audits = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, staffUserId));
    expect(audits.map((a) => a.action)).toContain("staff.signed_in");
  });

  it("answers a wrong password and an unknown email alike", async () => {
    const { email } = await staffOf("viewer");
    expect(await signInStaff(at(0), { email, password: "wrong", address: null })).toEqual({ ok: false });
    expect(await signInStaff(at(0), { email: "nobody@staff.test", password: "correct horse", address: null })).toEqual({ ok: false });
    expect(await signInStaff(at(0), { email: "", password: "", address: null })).toEqual({ ok: false });
  });

  it("backs off, then locks the email: even the right password is refused until the lock ends", async () => {
    const { email } = await staffOf("admin");
    for (let i = 0; i < 3; i++) expect((await signInStaff(at(0), { email, password: "nope", address: null })).ok).toBe(false);
    // Four failures: the next attempt must wait 2 s.
    await signInStaff(at(0), { email, password: "nope", address: null });
    expect((await signInStaff(at(1), { email, password: "correct horse", address: null })).ok).toBe(false);
    expect((await signInStaff(at(2), { email, password: "correct horse", address: null })).ok).toBe(true);
    const [row] = await database.db.select().from(signInThrottles).where(eq(signInThrottles.key, `email:${email}`));
    expect(row).toBeUndefined();

    let now = 10;
    for (let i = 0; i < 10; i++) {
      await signInStaff(at(now), { email, password: "nope", address: null });
      now += 20 * 60; // past any backoff
    }
    const [locked] = await database.db.select().from(signInThrottles).where(eq(signInThrottles.key, `email:${email}`));
    expect(locked!.failures).toBe(10);
    const lockEnds = (locked!.lockedUntil!.getTime() - t0.getTime()) / 1000;
    expect((await signInStaff(at(lockEnds - 1), { email, password: "correct horse", address: null })).ok).toBe(false);
    expect((await signInStaff(at(lockEnds), { email, password: "correct horse", address: null })).ok).toBe(true);
  });

  it("throttles one address across many emails", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250)}-${newId("usr")}`;
    for (let i = 0; i < 20; i++) await signInStaff(at(0), { email: `guess${i}@staff.test`, password: "x", address });
    await signInStaff(at(0), { email: "guess-last@staff.test", password: "x", address });
    const { email } = await staffOf("owner");
    expect((await signInStaff(at(0), { email, password: "correct horse", address })).ok).toBe(false);
    expect((await signInStaff(at(0), { email, password: "correct horse", address: "203.0.113.9" })).ok).toBe(true);
  });

  it("counts failures that arrive at once", async () => {
    const { email } = await staffOf("viewer");
    await Promise.all(Array.from({ length: 3 }, () => signInStaff(at(0), { email, password: "nope", address: null })));
    const [row] = await database.db.select().from(signInThrottles).where(eq(signInThrottles.key, `email:${email}`));
    expect(row!.failures).toBe(3);
  });
});

describe("staff logins", () => {
  it("reads the staff member as they are now: a removed login is gone", async () => {
    const { staffUserId, m } = await staffOf("viewer");
    expect(await currentStaff({ db: database.db }, staffUserId)).toMatchObject({ role: "viewer", merchantId: m.merchantId });
    expect(await currentStaff({ db: database.db }, "usr_missing")).toBeNull();
  });

  it("only owners and admins add staff, and only an owner adds an owner", async () => {
    const { m, staffUserId } = await staffOf("admin");
    const platform = testPlatform(database.db, { clock: fixedClock(t0) });
    const admin = staffContext(platform, { merchantId: m.merchantId, staffUserId, role: "admin" });
    await expect(createStaffUser(admin, { email: `${newId("usr")}@staff.test`, name: "A", password: "password1", role: "owner" })).rejects.toMatchObject({ code: "forbidden" });
    const operator = staffContext(platform, { merchantId: m.merchantId, staffUserId, role: "operator" });
    await expect(createStaffUser(operator, { email: `${newId("usr")}@staff.test`, name: "A", password: "password1", role: "viewer" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createStaffUser(operatorContext(platform, m.merchantId), { email: "bad", name: "A", password: "password1", role: "viewer" })).rejects.toMatchObject({ code: "invalid" });
  });
});
