import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { newId } from "@/lib/ids";
import { bulkInsert, bulkUpdate, inList } from "./bulk-write";
import type { Database } from "./client";
import { mails, merchants, scheduledActions } from "./schema";
import { openTestDatabase } from "@/test/support/database";

let database: Database;
let merchantId: string;

beforeAll(async () => {
  database = await openTestDatabase();
  merchantId = newId("mer");
  await database.db.insert(merchants).values({ id: merchantId, name: "一括", email: `${merchantId}@bulk.test`, billingSettings: DEFAULT_BILLING_SETTINGS });
});
afterAll(async () => {
  await database?.close();
});

function mailRow(key: string, variables: Record<string, string>) {
  return { id: newId("mail"), merchantId, template: "welcome" as const, toAddress: "a@example.jp", locale: "ja" as const, variables, idempotencyKey: key, queuedAt: new Date("2027-05-01T00:00:00Z") };
}

describe("bulk writes", () => {
  it("inserts rows with their types intact (jsonb objects, instants, nulls) and returns what it inserted", async () => {
    const rows = [mailRow("k1", { name: "山田 \"太郎\"", url: "https://x/?a=1&b=2" }), mailRow("k2", { nested: "{}" })];
    const returned = await bulkInsert(database.db, mails, rows, { returning: ["id", "queuedAt", "variables"] });
    expect(returned).toEqual(rows.map((r) => ({ id: r.id, queuedAt: r.queuedAt, variables: r.variables })));
    const stored = await database.db.select().from(mails).where(inList(mails.id, rows.map((r) => r.id)));
    expect(stored.map((m) => [m.idempotencyKey, m.variables, m.queuedAt.toISOString(), m.customerId]).sort()).toEqual([
      ["k1", { name: "山田 \"太郎\"", url: "https://x/?a=1&b=2" }, "2027-05-01T00:00:00.000Z", null],
      ["k2", { nested: "{}" }, "2027-05-01T00:00:00.000Z", null],
    ]);
  });

  it("skips rows its conflict clause skips, and returns only the inserted ones", async () => {
    const again = [mailRow("k1", { name: "二回目" }), mailRow("k3", {})];
    const returned = await bulkInsert(database.db, mails, again, { onConflict: sql`on conflict (merchant_id, idempotency_key) do nothing`, returning: ["id"] });
    expect(returned).toEqual([{ id: again[1]!.id }]);
    const [first] = await database.db.select().from(mails).where(eq(mails.idempotencyKey, "k1"));
    expect(first!.variables).toEqual({ name: "山田 \"太郎\"", url: "https://x/?a=1&b=2" });
  });

  it("updates each row with its own values, only where the extra condition holds, and says which it changed", async () => {
    const due = new Date("2027-06-01T00:00:00Z");
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: newId("act"), merchantId, kind: "renewal" as const, dueAt: due, idempotencyKey: `bulk:${i}` }));
    await bulkInsert(database.db, scheduledActions, rows);
    await database.db.update(scheduledActions).set({ status: "done" }).where(eq(scheduledActions.id, rows[0]!.id));
    const changed = await bulkUpdate(
      database.db,
      scheduledActions,
      rows.map((r, i) => ({ ...r, outcome: `n${i}`, dueAt: new Date(due.getTime() + i * 60_000) })),
      { key: "id", columns: ["outcome", "dueAt"], where: (t) => eq(t.status, "pending") },
    );
    expect(changed.sort()).toEqual(rows.slice(1).map((r) => r.id).sort());
    const stored = await database.db.select().from(scheduledActions).where(inList(scheduledActions.id, rows.map((r) => r.id)));
    for (const row of stored) {
      const i = rows.findIndex((r) => r.id === row.id);
      expect([row.outcome, row.dueAt.getTime()]).toEqual(i === 0 ? [null, due.getTime()] : [`n${i}`, due.getTime() + i * 60_000]);
    }
  });

  it("writes nothing for no rows", async () => {
    expect(await bulkInsert(database.db, mails, [], { returning: ["id"] })).toEqual([]);
    expect(await bulkUpdate(database.db, mails, [], { key: "id", columns: ["status"] })).toEqual([]);
  });
});
