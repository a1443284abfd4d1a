import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { testClocks } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { jst, setupTestMerchant, signedUpContract } from "@/test/support/merchant";
import { advanceTestClock } from "./advance-test-clock";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

describe("an advance that stops short", () => {
  it("leaves the clock ready where it stopped, with the reason kept until the next advance completes", async () => {
    const m = await setupTestMerchant(database);
    const { clock } = await signedUpContract(m, { amount: 3000, interval: "month" }, jst("2027-06-01T10:00:00"));
    // A fault the engine does not expect: the database refuses the renewal's invoice.
    await database.db.execute(sql.raw(`
      create function refuse_invoices_${m.merchantId}() returns trigger language plpgsql as $$
      begin
        if new.merchant_id = '${m.merchantId}' and new.kind = 'renewal' then raise exception 'invoices are refused for this test'; end if;
        return new;
      end $$`));
    await database.db.execute(sql.raw(`create trigger refuse_invoices_${m.merchantId} before insert on invoices for each row execute function refuse_invoices_${m.merchantId}()`));

    await expect(advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-07-15T00:00:00") })).rejects.toThrow();
    const [stopped] = await database.db.select().from(testClocks).where(eq(testClocks.id, clock.id));
    expect(stopped).toMatchObject({ status: "ready", targetTime: null, frozenTime: jst("2027-07-01T00:00:00") });
    expect(stopped!.lastAdvanceError).toContain("invoices are refused for this test");

    await database.db.execute(sql.raw(`drop trigger refuse_invoices_${m.merchantId} on invoices`));
    const done = await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-07-15T00:00:00") });
    expect(done).toMatchObject({ status: "ready", frozenTime: jst("2027-07-15T00:00:00"), lastAdvanceError: null });
  });
});
