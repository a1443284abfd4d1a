import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiStatements, mails } from "@/db/schema";
import { fixedClock } from "@/lib/services/context";
import { enableAtobarai, seedAtobaraiOrder } from "@/test/support/atobarai";
import { openIsolatedTestDatabase, testRunContext } from "@/test/support/inngest";
import { jst, setupTestMerchant } from "@/test/support/merchant";
import { createAtobaraiMoney } from "./atobarai-money";

let database: Database;
beforeAll(async () => {
  database = await openIsolatedTestDatabase();
});
afterAll(async () => database.close());

describe("atobarai-money (cron)", () => {
  it("reminds the unpaid and closes the ended month, one step each; run again it does nothing more", async () => {
    const m = await setupTestMerchant(database);
    await enableAtobarai(database, m.merchantId);
    await seedAtobaraiOrder(database, m.merchantId, { amount: 4_400, shippedAt: jst("2027-01-20T12:00:00"), dueOn: "2027-02-03" });
    const fn = createAtobaraiMoney(testRunContext(database, m.gateway, fixedClock(jst("2027-02-10T09:00:00"))));
    const run = await new InngestTestEngine({ function: fn }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "*/15 * * * *" } }] });
    expect(run.result).toMatchObject({ reminded: 1, collected: 0, statementsClosed: 1 });
    expect(run.ctx.step.run.mock.calls.map((c) => c[0])).toEqual(["reminders-and-collection", "settlement-closes"]);
    const again = await new InngestTestEngine({ function: fn }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "*/15 * * * *" } }] });
    expect(again.result).toMatchObject({ reminded: 0, statementsClosed: 0 });
    expect((await database.db.select().from(mails).where(eq(mails.merchantId, m.merchantId))).map((x) => x.template)).toEqual(["atobarai_reminder"]);
    expect((await database.db.select().from(atobaraiStatements).where(eq(atobaraiStatements.merchantId, m.merchantId))).map((s) => [s.periodEnd, s.sales])).toEqual([["2027-01-31", 4_400]]);
  });
});
