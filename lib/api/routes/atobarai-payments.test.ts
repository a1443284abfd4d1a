import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { enableAtobarai, seedAtobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";
import { jst } from "@/test/support/merchant";

describe("API: 後払い payments", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    await enableAtobarai(database, api.merchantId);
  });
  afterAll(async () => database.close());

  it("records once per notice id: part, the rest, then an over-payment shown as refund_owed", async () => {
    const order = await seedAtobaraiOrder(database, api.merchantId, { amount: 8_800, shippedAt: jst("2027-02-01T12:00:00"), dueOn: "2027-02-15" });
    const part = await api.call("POST", `/atobarai/orders/${order.id}/payments`, { notice_id: "N-1", amount: 3_000, channel: "konbini", paid_at: "2027-02-10T10:00:00+09:00" });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({ object: "atobarai_payment", outcome: "recorded", id: expect.stringMatching(/^abp_/), order: { id: order.id, status: "shipped", amount_paid: 3_000, balance: 5_800, refund_owed: 0 } });
    const again = await api.call("POST", `/atobarai/orders/${order.id}/payments`, { notice_id: "N-1", amount: 3_000 });
    expect(again.body).toMatchObject({ outcome: "duplicate", id: null, order: { amount_paid: 3_000 } });
    const rest = await api.call("POST", `/atobarai/orders/${order.id}/payments`, { notice_id: "N-2", amount: 6_000, channel: "bank", paid_at: "2027-02-12T10:00:00+09:00" });
    expect(rest.body).toMatchObject({ outcome: "recorded", order: { status: "paid", amount_paid: 9_000, balance: -200, refund_owed: 200 } });
    const list = await api.getOk(`/atobarai/orders/${order.id}/payments`);
    expect(list.data.map((p: { notice_id: string; amount: number; channel: string; paid_at: string }) => [p.notice_id, p.amount, p.channel])).toEqual([
      ["N-1", 3_000, "konbini"],
      ["N-2", 6_000, "bank"],
    ]);
    expect(list.data[0].paid_at).toBe("2027-02-10T01:00:00.000Z");
  });

  it("400 for bad input, 404 for another's order, 409 for an order not invoiced", async () => {
    const approved = await seedAtobaraiOrder(database, api.merchantId, { status: "approved" });
    expect((await api.call("POST", `/atobarai/orders/${approved.id}/payments`, { notice_id: "x", amount: -1 })).status).toBe(400);
    expect((await api.call("POST", `/atobarai/orders/${approved.id}/payments`, { notice_id: "x", amount: 100, extra: 1 })).status).toBe(400);
    expect((await api.call("POST", `/atobarai/orders/abo_nope/payments`, { notice_id: "x", amount: 100 })).status).toBe(404);
    const refused = await api.call("POST", `/atobarai/orders/${approved.id}/payments`, { notice_id: "x", amount: 100 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "order_not_invoiced" });
  });
});
