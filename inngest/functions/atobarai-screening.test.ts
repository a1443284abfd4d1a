import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrders } from "@/db/schema";
import { startAtobaraiScreeningRunner } from "@/lib/runner/atobarai-screening-runner";
import { enableAtobarai } from "@/lib/services/atobarai-settings";
import { fixedClock } from "@/lib/services/context";
import { registerAtobaraiOrder } from "@/lib/services/register-atobarai-order";
import { openIsolatedTestDatabase, testRunContext } from "@/test/support/inngest";
import { jst, setupTestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { createAtobaraiScreening } from "./atobarai-screening";

const START = jst("2027-06-01T10:00:00");
const order = (ref: string, unitPrice: number) => ({
  orderRef: ref,
  buyer: { name: "鈴木 次郎", kana: "スズキ ジロウ", email: `${ref}@example.jp`, phone: `0${String(ref.length).padStart(2, "0")}${String(unitPrice).padStart(8, "0")}`.slice(0, 11), postalCode: "1000001", address: `東京都千代田区千代田${unitPrice}` },
  items: [{ name: "海苔", quantity: 1, unitPrice }],
});

describe("後払い screening worker", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openIsolatedTestDatabase();
  });
  afterAll(async () => database.close());

  it("the Inngest cron screens the waiting orders in one step", async () => {
    const m = await setupTestMerchant(database, { now: START });
    const ctx = m.ctx(fixedClock(START));
    await enableAtobarai(ctx);
    const ok = await registerAtobaraiOrder(ctx, order("cron-ok", 1_000));
    const ng = await registerAtobaraiOrder(ctx, order("cron-ng", 70_000));
    const run = await new InngestTestEngine({ function: createAtobaraiScreening(testRunContext(database, m.gateway, fixedClock(START))) }).execute({
      events: [{ name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" } }],
    });
    expect(run.result).toEqual({ screened: 2 });
    expect(run.ctx.step.run.mock.calls.map((c) => c[0])).toEqual(["screen"]);
    const status = async (id: string) => (await database.db.select({ s: atobaraiOrders.status }).from(atobaraiOrders).where(eq(atobaraiOrders.id, id)))[0]!.s;
    expect([await status(ok.id), await status(ng.id)]).toEqual(["approved", "rejected"]);
  });

  it("the runner's loop screens an order registered while it runs", async () => {
    const m = await setupTestMerchant(database, { now: START });
    const ctx = m.ctx(fixedClock(START));
    await enableAtobarai(ctx);
    const errors: string[] = [];
    const runner = startAtobaraiScreeningRunner({ platform: testPlatform(database.db, { clock: fixedClock(START) }), intervalMs: 20, onError: (e) => errors.push(e) });
    try {
      const registered = await registerAtobaraiOrder(ctx, order("loop-ok", 2_000));
      await expect
        .poll(async () => (await database.db.select({ s: atobaraiOrders.status }).from(atobaraiOrders).where(eq(atobaraiOrders.id, registered.id)))[0]!.s, { timeout: 5_000, interval: 50 })
        .toBe("approved");
    } finally {
      await runner.stop();
    }
    expect(errors).toEqual([]);
  });
});
