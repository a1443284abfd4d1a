import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { enableAtobarai, seedAtobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";
import { jst } from "@/test/support/merchant";

describe("API: 後払い refunds", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    await enableAtobarai(database, api.merchantId);
  });
  afterAll(async () => database.close());

  it("an over-payment shows refund_owed; refunds pay it back, once per Idempotency-Key, never beyond what is owed", async () => {
    const order = await seedAtobaraiOrder(database, api.merchantId, { amount: 8_800, shippedAt: jst("2027-02-01T12:00:00"), dueOn: "2027-02-15" });
    await api.call("POST", `/atobarai/orders/${order.id}/payments`, { notice_id: "R-1", amount: 10_000 });
    expect(await api.getOk(`/atobarai/orders/${order.id}`)).toMatchObject({ amount_paid: 10_000, amount_refunded: 0, balance: -1_200, refund_owed: 1_200 });
    expect((await api.getOk(`/atobarai/orders?refund_owed=true`)).data.map((o: { id: string }) => o.id)).toContain(order.id);

    const tooMuch = await api.call("POST", `/atobarai/orders/${order.id}/refunds`, { amount: 1_201, method: "bank_transfer" });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({ code: "refund_exceeds_owed" });

    const body = { amount: 1_000, method: "bank_transfer", note: "振込 2/20", refunded_at: "2027-02-20T10:00:00+09:00" };
    const first = await api.call("POST", `/atobarai/orders/${order.id}/refunds`, body, { "idempotency-key": "refund-1" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      outcome: "recorded",
      refund: { object: "atobarai_refund", id: expect.stringMatching(/^abr_/), order: order.id, amount: 1_000, method: "bank_transfer", note: "振込 2/20", refunded_at: "2027-02-20T01:00:00.000Z", recorded_by: expect.stringMatching(/^api_key/) },
      order: { amount_paid: 10_000, amount_refunded: 1_000, balance: -200, refund_owed: 200 },
    });
    const again = await api.call("POST", `/atobarai/orders/${order.id}/refunds`, body, { "idempotency-key": "refund-1" });
    expect(again.body).toMatchObject({ refund: { id: first.body.refund.id }, order: { amount_refunded: 1_000 } });

    const rest = await api.call("POST", `/atobarai/orders/${order.id}/refunds`, { amount: 200, method: "other", refunded_at: "2027-02-21T10:00:00+09:00" });
    expect(rest.body).toMatchObject({ outcome: "recorded", order: { amount_refunded: 1_200, balance: 0, refund_owed: 0 } });
    const none = await api.call("POST", `/atobarai/orders/${order.id}/refunds`, { amount: 1, method: "cash" });
    expect(none.status).toBe(409);
    expect(none.body.error).toMatchObject({ code: "no_refund_owed" });

    const list = await api.getOk(`/atobarai/orders/${order.id}/refunds`);
    expect(list.data.map((r: { amount: number; method: string }) => [r.amount, r.method])).toEqual([
      [1_000, "bank_transfer"],
      [200, "other"],
    ]);
    expect(await api.getOk(`/atobarai/orders/${order.id}`)).toMatchObject({ amount_refunded: 1_200, refund_owed: 0 });
    expect((await api.getOk(`/atobarai/orders?refund_owed=true`)).data.map((o: { id: string }) => o.id)).not.toContain(order.id);
  });

  it("400 for bad input, 404 for another's order", async () => {
    const order = await seedAtobaraiOrder(database, api.merchantId, { amount: 1_000, shippedAt: jst("2027-02-01T12:00:00"), dueOn: "2027-02-15" });
    expect((await api.call("POST", `/atobarai/orders/${order.id}/refunds`, { amount: 100, method: "paypay" })).status).toBe(400);
    expect((await api.call("POST", `/atobarai/orders/${order.id}/refunds`, { amount: 100, method: "cash", extra: 1 })).status).toBe(400);
    expect((await api.call("POST", `/atobarai/orders/abo_nope/refunds`, { amount: 100, method: "cash" })).status).toBe(404);
    expect((await api.call("GET", `/atobarai/orders/abo_nope/refunds`)).status).toBe(404);
  });
});
