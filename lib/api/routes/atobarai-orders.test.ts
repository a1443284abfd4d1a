import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { enableAtobarai } from "@/lib/services/atobarai-settings";
import { operatorContext } from "@/lib/services/contexts";
import { screenAtobaraiOrder } from "@/lib/services/screen-atobarai-orders";
import { hasValidCheckDigit } from "@/lib/billing/atobarai/payment-reference";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";
import { testPlatform } from "@/test/support/platform";

const order = (ref: string, over: Record<string, unknown> = {}) => ({
  order_ref: ref,
  buyer: { name: "佐藤 一郎", kana: "サトウ イチロウ", email: `${ref.toLowerCase()}@example.jp`, phone: "03-1234-5678", postal_code: "1000001", address: "東京都千代田区千代田1-1" },
  items: [{ name: "ほうじ茶", quantity: 3, unit_price: 1_200 }],
  ...over,
});

describe("API: 後払い orders", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  let other: Awaited<ReturnType<typeof setupTestApi>>;
  const screen = (merchantId: string, id: string) => screenAtobaraiOrder(testPlatform(database.db), merchantId, id);
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    other = await setupTestApi(database);
  });
  afterAll(async () => database.close());

  it("refuses orders until 後払い is on (409 atobarai_off)", async () => {
    const r = await api.call("POST", "/atobarai/orders", order("OFF-1"));
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: "atobarai_off" });
  });

  it("registers, screens, ships (invoice issued) and lists an order; another merchant cannot see it", async () => {
    await enableAtobarai(operatorContext(testPlatform(database.db), api.merchantId, "test"));
    const created = await api.call("POST", "/atobarai/orders", order("API-1", { amount: 3_600 }), { "idempotency-key": "abo-1" });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: "atobarai_order", order_ref: "API-1", status: "registered", amount: 3_600, balance: 3_600, screening: null, invoice: null, buyer: { postal_code: "1000001" } });
    expect((await api.call("POST", "/atobarai/orders", order("API-1", { amount: 3_600 }), { "idempotency-key": "abo-1" })).body.id).toBe(created.body.id);
    expect((await api.call("POST", "/atobarai/orders", order("API-1"))).body.error).toMatchObject({ code: "order_ref_taken" });

    await screen(api.merchantId, created.body.id);
    const screened = await api.getOk(`/atobarai/orders/${created.body.id}`);
    expect(screened).toMatchObject({ status: "approved", screening: { result: "ok", reasons: [] } });
    expect(await api.getOk("/atobarai/orders/API-1")).toEqual(screened);

    const shipped = await api.call("POST", `/atobarai/orders/${created.body.id}/shipment`, { tracking_number: "4444-5555-6666", carrier: "日本郵便" });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: "shipped", shipment: { tracking_number: "4444-5555-6666", carrier: "日本郵便" }, invoice: { delivery: "mail", due_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } });
    expect(hasValidCheckDigit(shipped.body.invoice.payment_number)).toBe(true);
    expect((await api.call("POST", `/atobarai/orders/${created.body.id}/cancel`, {})).body.error).toMatchObject({ code: "invoice_issued" });
    expect((await api.call("POST", `/atobarai/orders/${created.body.id}/return`, { reason: "サイズ違い" })).body).toMatchObject({ status: "returned", returned: expect.any(String) });

    const list = await api.getOk("/atobarai/orders?status=returned&q=api-1");
    expect(list.data.map((o: { id: string }) => o.id)).toEqual([created.body.id]);
    expect((await api.getOk("/atobarai/orders?status=approved")).data).toEqual([]);
    expect((await other.call("GET", `/atobarai/orders/${created.body.id}`)).status).toBe(404);
    expect((await other.call("POST", `/atobarai/orders/${created.body.id}/cancel`, {})).status).toBe(404);
  });

  it("NG orders cannot ship; cancel before the invoice; bad bodies are 400 with the field", async () => {
    const ng = (await api.call("POST", "/atobarai/orders", order("API-NG", { items: [{ name: "高額品", quantity: 1, unit_price: 80_000 }] }))).body;
    await screen(api.merchantId, ng.id);
    const refused = await api.call("POST", `/atobarai/orders/${ng.id}/shipment`, { tracking_number: "1111-2222" });
    expect(refused.status).toBe(409);
    expect((await api.getOk(`/atobarai/orders/${ng.id}`)).screening).toMatchObject({ result: "ng", reasons: [{ rule: "amount_limit", amount: 80_000, limit: 55_000 }] });
    expect((await api.call("POST", `/atobarai/orders/${ng.id}/cancel`, { reason: "与信NG" })).body.status).toBe("canceled");

    for (const [body, param] of [
      [order("BAD-1", { buyer: { ...order("x").buyer, postal_code: "12" } }), "buyer.postal_code"],
      [order("BAD-2", { amount: 1 }), "amount"],
      [order("BAD-3", { items: [] }), "items"],
      [{ ...order("BAD-4"), extra: true }, undefined],
    ] as const) {
      const r = await api.call("POST", "/atobarai/orders", body);
      expect(r.status).toBe(400);
      if (param) expect(r.body.error.param).toBe(param);
    }
    expect((await api.getOk("/atobarai/orders?q=BAD")).data).toEqual([]);
    expect((await api.call("GET", "/atobarai/orders?status=lost")).status).toBe(400);
  });

  it("a sandbox order on a test clock: registered at the clock's time, screened when the clock advances; another merchant's clock is 404", async () => {
    const clock = (await api.call("POST", "/test_clocks", { frozen_time: "2027-04-01T10:00:00+09:00" })).body;
    const created = await api.call("POST", "/atobarai/orders", order("CLOCK-API", { test_clock: clock.id }));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: "registered", test_clock: clock.id, created: "2027-04-01T01:00:00.000Z" });
    expect((await api.call("POST", `/test_clocks/${clock.id}/advance`, { frozen_time: "2027-04-01T11:00:00+09:00" })).status).toBe(200);
    await api.settle();
    const screened = await api.getOk(`/atobarai/orders/${created.body.id}`);
    expect(screened).toMatchObject({ status: "approved", screening: { result: "ok", screened: "2027-04-01T02:00:00.000Z" }, test_clock: clock.id });

    const theirs = (await other.call("POST", "/test_clocks", { frozen_time: "2027-04-01T10:00:00+09:00" })).body;
    const refused = await api.call("POST", "/atobarai/orders", order("CLOCK-THEIRS", { test_clock: theirs.id }));
    expect(refused.status).toBe(404);
    expect(refused.body.error).toMatchObject({ param: "test_clock" });
    expect((await api.getOk("/atobarai/orders?q=CLOCK-THEIRS")).data).toEqual([]);
  });
});
