import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { newId } from "@/lib/ids";
import type { Database } from "./client";
import { reusableQuery } from "./reusable-query";
import { merchants } from "./schema";
import { openTestDatabase } from "@/test/support/database";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const merchantById = reusableQuery((db) =>
  db
    .select({ id: merchants.id, name: merchants.name, createdAt: merchants.createdAt })
    .from(merchants)
    .where(eq(merchants.id, sql.placeholder("id")))
    .prepare("test_merchant_by_id"),
);

const newMerchant = (name: string) => ({ id: newId("mer"), name, email: `${newId("usr")}@merchant.test`, billingSettings: DEFAULT_BILLING_SETTINGS });

describe("reusableQuery", () => {
  it("returns what the query built afresh returns, mapped the same way", async () => {
    const merchant = newMerchant("再利用");
    await database.db.insert(merchants).values(merchant);
    const fresh = await database.db.select({ id: merchants.id, name: merchants.name, createdAt: merchants.createdAt }).from(merchants).where(eq(merchants.id, merchant.id));
    const reused = await merchantById(database.db).execute({ id: merchant.id });
    expect(reused).toEqual(fresh);
    expect(reused[0]!.createdAt).toBeInstanceOf(Date);
  });

  it("runs inside the transaction it is given: it sees the transaction's own writes, which a rollback undoes", async () => {
    const merchant = newMerchant("取引内");
    let inside: unknown[] = [];
    const rolledBack = await database.db
      .transaction(async (tx) => {
        await tx.insert(merchants).values(merchant);
        inside = await merchantById(tx).execute({ id: merchant.id });
        tx.rollback();
      })
      .then(() => false, () => true);
    expect(rolledBack).toBe(true);
    expect(inside).toHaveLength(1);
    expect(await merchantById(database.db).execute({ id: merchant.id })).toEqual([]);

    const committed = await database.db.transaction(async (tx) => {
      await tx.insert(merchants).values(merchant);
      return merchantById(tx).execute({ id: merchant.id });
    });
    expect(committed.map((m) => m.name)).toEqual(["取引内"]);
  });
});
