import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { staffUsers } from "@/db/schema";
import { newId } from "@/lib/ids";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, setupTestMerchant, signedUpContract, type TestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { fixedClock } from "../context";
import { staffContext } from "../contexts";
import { exportAuditLog } from "../export-audit-log";
import { recordAudits } from "../internal/audit";
import { auditLogBatches, AUDIT_PAGE_SIZE, searchAuditLog } from "./audit-log";

/** Reads a CSV stream (UTF-8 with a BOM) back as text. */
async function text(stream: ReadableStream<Uint8Array>) {
  return new TextDecoder().decode(new Uint8Array(await new Response(stream).arrayBuffer())).replace(/^\uFEFF/, "");
}

describe("the console's audit log", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;
  const owner = "usr_audit_owner";
  const as = (who: TestMerchant, role: "owner" | "admin" | "operator" | "viewer", id = `usr_${role}`) =>
    staffContext(testPlatform(database.db, { clock: fixedClock(new Date("2027-03-01T00:00:00Z")) }), { merchantId: who.merchantId, staffUserId: id, role });
  // Tokyo days: 2027-01-31 15:00Z is 2027-02-01 00:00 JST.
  const t = (iso: string) => new Date(iso);
  let subscriptionId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
    other = await setupTestMerchant(database);
    await database.db.insert(staffUsers).values({ id: owner, merchantId: m.merchantId, email: `${owner}@merchant.test`, name: "佐藤 花子", passwordHash: "x", role: "owner" });
    subscriptionId = newId("sub");
    const staff = { type: "staff" as const, id: owner, role: "owner" as const };
    const key = { type: "api_key" as const, id: "key_x" };
    const system = { type: "system" as const, id: null };
    await recordAudits(database.db, [
      { merchantId: m.merchantId, actor: staff, action: "subscription.canceled", targetType: "subscription", targetId: subscriptionId, at: t("2027-01-31T14:59:00Z") },
      { merchantId: m.merchantId, actor: staff, action: "subscription.paused", targetType: "subscription", targetId: subscriptionId, at: t("2027-01-31T15:00:00Z") },
      { merchantId: m.merchantId, actor: key, action: "invoice.refunded", targetType: "invoice", targetId: "inv_x", at: t("2027-02-10T00:00:00Z") },
      { merchantId: m.merchantId, actor: system, action: "invoice.paid", targetType: "invoice", targetId: "inv_of_another_contract", at: t("2027-02-28T14:59:59Z") },
      { merchantId: m.merchantId, actor: system, action: "future.verb", targetType: "merchant", targetId: m.merchantId, data: { note: "a,b" }, at: t("2027-02-28T15:00:00Z") },
      { merchantId: other.merchantId, actor: staff, action: "subscription.canceled", targetType: "subscription", targetId: subscriptionId, at: t("2027-02-01T00:00:00Z") },
    ]);
  });
  afterAll(() => database.close());

  const actions = async (filters: Parameters<typeof searchAuditLog>[1]) => (await searchAuditLog(as(m, "admin"), filters)).rows.map((r) => r.action);

  it("lists the merchant's own events newest first, naming the staff member", async () => {
    const { rows, hasMore } = await searchAuditLog(as(m, "owner"), {});
    expect(rows.map((r) => r.action)).toEqual(["future.verb", "invoice.paid", "invoice.refunded", "subscription.paused", "subscription.canceled"]);
    expect(rows.at(-1)!.actor).toEqual({ type: "staff", id: owner, name: "佐藤 花子", role: "owner" });
    expect(hasMore).toBe(false);
  });

  it("filters by person, kind of actor, action, target and Tokyo days", async () => {
    expect(await actions({ actor: `staff:${owner}` })).toEqual(["subscription.paused", "subscription.canceled"]);
    expect(await actions({ actor: "api_key" })).toEqual(["invoice.refunded"]);
    expect(await actions({ actor: "system" })).toEqual(["future.verb", "invoice.paid"]);
    expect(await actions({ action: "invoice.paid" })).toEqual(["invoice.paid"]);
    expect(await actions({ target: subscriptionId })).toEqual(["subscription.paused", "subscription.canceled"]);
    // 2027-02-01 .. 2027-02-28 in Tokyo: from 2027-01-31T15:00Z, up to but excluding 2027-02-28T15:00Z.
    expect(await actions({ from: "2027-02-01", to: "2027-02-28" })).toEqual(["invoice.paid", "invoice.refunded", "subscription.paused"]);
    expect(await actions({ from: "2027-02-01", to: "2027-02-28", actor: "system" })).toEqual(["invoice.paid"]);
  });

  it("finds what was done to a contract and to its invoices, and nothing of another contract", async () => {
    const c = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(c);
    const { subscription: another } = await signedUpContract(c);
    const [invoice] = (await contractHistory(database, subscription.id)).invoices;
    const [anotherInvoice] = (await contractHistory(database, another.id)).invoices;
    const staff = { type: "staff" as const, id: owner, role: "owner" as const };
    await recordAudits(database.db, [
      { merchantId: c.merchantId, actor: staff, action: "invoice.refunded", targetType: "invoice", targetId: invoice!.id, at: t("2027-02-10T00:00:00Z") },
      { merchantId: c.merchantId, actor: staff, action: "invoice.refunded", targetType: "invoice", targetId: anotherInvoice!.id, at: t("2027-02-10T00:00:00Z") },
    ]);
    const { rows } = await searchAuditLog(as(c, "owner"), { target: subscription.id });
    expect(rows.map((r) => r.action)).toContain("subscription.created");
    expect(rows.filter((r) => r.action === "invoice.refunded").map((r) => r.targetId)).toEqual([invoice!.id]);
    expect(rows.every((r) => r.targetId === subscription.id || r.targetId === invoice!.id)).toBe(true);
  });

  it("refuses a malformed filter and all but owners and admins", async () => {
    await expect(searchAuditLog(as(m, "admin"), { from: "2027-02-30" })).rejects.toMatchObject({ code: "invalid", details: { param: "from" } });
    await expect(searchAuditLog(as(m, "admin"), { actor: "someone" })).rejects.toMatchObject({ code: "invalid", details: { param: "actor" } });
    await expect(searchAuditLog(as(m, "operator"), {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(searchAuditLog(as(m, "viewer"), {})).rejects.toMatchObject({ code: "forbidden" });
    const words = { header: ["h"], action: (c: string) => c, actorType: (c: string) => c };
    await expect(exportAuditLog(as(m, "operator"), { filters: {}, encoding: "utf8" }, words)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("pages without counting, and batches the export by keyset", async () => {
    const many = Array.from({ length: AUDIT_PAGE_SIZE + 3 }, (_, i) => ({
      merchantId: other.merchantId,
      actor: { type: "system" as const, id: null },
      action: "usage.recorded",
      targetType: "subscription",
      targetId: `sub_many`,
      // Many share a moment: the id breaks the tie.
      at: t(`2027-02-0${1 + (i % 3)}T00:00:00Z`),
    }));
    await recordAudits(database.db, many);
    const first = await searchAuditLog(as(other, "owner"), { target: "sub_many" });
    const second = await searchAuditLog(as(other, "owner"), { target: "sub_many", page: 2 });
    expect([first.rows.length, first.hasMore, second.rows.length, second.hasMore]).toEqual([AUDIT_PAGE_SIZE, true, 3, false]);
    const seen = [];
    for await (const batch of auditLogBatches(as(other, "owner"), { target: "sub_many" }, 7)) seen.push(...batch);
    expect(seen.map((e) => e.id)).toEqual([...first.rows, ...second.rows].map((e) => e.id));
    expect(new Set(seen.map((e) => e.id)).size).toBe(AUDIT_PAGE_SIZE + 3);
  });

  it("exports the filtered rows as CSV in the reader's words, times in the merchant's zone, and audits the export", async () => {
    const csv = await text(
      await exportAuditLog(
        as(m, "owner", owner),
        { filters: { actor: "system" }, encoding: "utf8" },
        { header: ["日時", "種類", "担当者", "ID", "操作", "コード", "対象の種類", "対象", "詳細"], action: (c) => (c === "invoice.paid" ? "請求書の支払い" : c), actorType: (type) => (type === "system" ? "システム" : type) },
      ),
    );
    expect(csv.split("\r\n")).toEqual([
      "日時,種類,担当者,ID,操作,コード,対象の種類,対象,詳細",
      `2027-03-01 00:00,システム,,,future.verb,future.verb,merchant,${m.merchantId},"{""note"":""a,b""}"`,
      "2027-02-28 23:59,システム,,,請求書の支払い,invoice.paid,invoice,inv_of_another_contract,{}",
      "",
    ]);
    expect(await actions({ action: "audit_log.exported" })).toEqual(["audit_log.exported"]);
  });
});

