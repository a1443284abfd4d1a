import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import iconv from "iconv-lite";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import type { CsvWords } from "@/lib/csv/subscription-export";
import { type ConsoleSeed, seedConsoleContracts } from "@/scripts/bench/console-seed";
import { openTestDatabase } from "@/test/support/database";
import { rejection } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { fixedClock, type ServiceContext } from "./context";
import { operatorContext, staffContext } from "./contexts";
import { createStaffUser } from "./create-staff-user";
import { exportSubscriptions } from "./export-subscriptions";
import { searchSubscriptions } from "./queries/subscription-search";

/** The contracts CSV export: every matching row once, the visible columns, both encodings, viewers refused, audited. */
const NOW = new Date("2027-01-15T03:00:00Z");
let database: Database;
let seed: ConsoleSeed;
const as: Partial<Record<StaffRole, ServiceContext>> = {};
const words: CsvWords = { header: (field) => `h:${field}`, status: (status) => `s:${status}`, actionKind: (kind) => `a:${kind}` };

beforeAll(async () => {
  database = await openTestDatabase();
  seed = await seedConsoleContracts(database.db, 240, { now: NOW, chunk: 100 });
  const owner = operatorContext(testPlatform(database.db, { clock: fixedClock(NOW) }), seed.merchantId, "test");
  for (const role of ["operator", "viewer"] as const) {
    const user = await createStaffUser(owner, { email: `${role}-${randomUUID()}@staff.test`, name: role, password: "staff-password", role });
    as[role] = staffContext(testPlatform(database.db, { clock: fixedClock(NOW) }), { merchantId: seed.merchantId, staffUserId: user.staffUserId, role });
  }
}, 60_000);
afterAll(async () => database?.close());

async function text(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
  }
}

describe("exportSubscriptions", () => {
  it("writes every matching contract once, with the visible columns' fields, in the merchant's calendar", async () => {
    const filters = { status: ["unpaid" as const, "active" as const] };
    const bytes = await text(await exportSubscriptions(as.operator!, { filters, columns: ["status", "customer", "paidThrough"], encoding: "utf8" }, words));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = Papa.parse<string[]>(bytes.subarray(3).toString("utf8").trim()).data;
    // The table's order of columns, whatever order they were asked in; the contract id first.
    expect(header).toEqual(["h:contractId", "h:customerId", "h:customerName", "h:customerEmail", "h:status", "h:paidThrough"]);
    const { total } = await searchSubscriptions(as.operator!, filters);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r[0])).size).toBe(total);
    expect(new Set(rows.map((r) => r[4]))).toEqual(new Set(["s:unpaid", "s:active"]));
    expect(rows.every((r) => /^\d{4}\/\d{2}\/\d{2}$/.test(r[5]!))).toBe(true);
  });

  it("writes Shift_JIS (CP932) that decodes back to the Japanese names", async () => {
    const bytes = await text(await exportSubscriptions(as.operator!, { filters: { q: "山田" }, columns: ["customer"], encoding: "shift_jis" }, words));
    const rows = Papa.parse<string[]>(iconv.decode(bytes, "cp932").trim()).data.slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r[2]!.includes("山田"))).toBe(true);
  });

  it("records who exported what search", async () => {
    await text(await exportSubscriptions(as.operator!, { filters: { daysUnpaidMin: 60 }, columns: ["daysUnpaid"], encoding: "utf8" }, words));
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.merchantId, seed.merchantId), eq(auditEvents.action, "subscriptions.exported")));
    expect(events.map((e) => ({ actor: e.actorId, data: e.data }))).toContainEqual({
      actor: as.operator!.actor.id,
      data: { filters: expect.objectContaining({ daysUnpaidMin: 60 }), columns: ["daysUnpaid"], encoding: "utf8" },
    });
  });

  it("refuses a viewer and bad input, writing nothing", async () => {
    expect(await rejection(exportSubscriptions(as.viewer!, { filters: {}, columns: ["customer"], encoding: "utf8" }, words))).toMatchObject({ code: "forbidden" });
    expect((await rejection(exportSubscriptions(as.operator!, { filters: {}, columns: [], encoding: "utf8" }, words))).details.param).toBe("columns");
    expect((await rejection(exportSubscriptions(as.operator!, { filters: {}, columns: ["customer"], encoding: "latin1" as "utf8" }, words))).details.param).toBe("encoding");
    const events = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, seed.merchantId), eq(auditEvents.actorId, as.viewer!.actor.id!)));
    expect(events.filter((e) => e.action === "subscriptions.exported")).toEqual([]);
  });
});
