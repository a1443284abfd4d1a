import iconv from "iconv-lite";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrders, mails } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { fixedClock, type ServiceContext } from "./context";
import { enableAtobarai } from "./atobarai-settings";
import { screenRegisteredAtobaraiOrders } from "./screen-atobarai-orders";
import { uploadAtobaraiOrders } from "./upload-atobarai-orders";
import { uploadAtobaraiShipments } from "./upload-atobarai-shipments";

const NOW = new Date("2027-06-01T03:00:00Z");
const HEADER = "注文番号,購入者名,購入者名カナ,メールアドレス,電話番号,郵便番号,住所,商品名,数量,単価,請求金額,請求書送付方法";
const row = (ref: string, over: Partial<Record<"name" | "kana" | "email" | "phone" | "postal" | "address" | "item" | "qty" | "price" | "amount" | "delivery", string>> = {}) =>
  [ref, over.name ?? "山田 花子", over.kana ?? "ヤマダ ハナコ", over.email ?? `${ref.toLowerCase()}@example.jp`, over.phone ?? `090${String(ref.length * 1_000_000 + ref.charCodeAt(ref.length - 1)).padStart(8, "0")}`, over.postal ?? "100-0001", over.address ?? `東京都千代田区千代田1-${ref.charCodeAt(ref.length - 1)}`, over.item ?? "緑茶", over.qty ?? "1", over.price ?? "3,000", over.amount ?? "", over.delivery ?? ""].map((cell) => (cell.includes(",") ? `"${cell}"` : cell)).join(",");
const utf8 = (lines: string[]) => new TextEncoder().encode(lines.join("\r\n") + "\r\n");
const sjis = (lines: string[]) => new Uint8Array(iconv.encode(lines.join("\r\n") + "\r\n", "Shift_JIS"));

describe("後払い CSV uploads: orders and tracking numbers", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  async function merchant(): Promise<{ m: TestMerchant; ctx: ServiceContext }> {
    const m = await setupTestMerchant(database, { now: NOW });
    const ctx = await staffMemberOf(database, m, "operator", NOW);
    await enableAtobarai(m.ctx(fixedClock(NOW)));
    return { m, ctx };
  }
  const ordersOf = (m: TestMerchant) => database.db.select().from(atobaraiOrders).where(eq(atobaraiOrders.merchantId, m.merchantId));

  it("registers a Shift_JIS file; rows with the same order number are one order's items", async () => {
    const { m, ctx } = await merchant();
    const result = await uploadAtobaraiOrders(ctx, { file: sjis([HEADER, row("A1"), row("A1", { item: "急須", qty: "2", price: "1,500", name: "", kana: "", email: "", phone: "", postal: "", address: "" }), row("A2", { delivery: "同梱" })]) });
    expect(result).toMatchObject({ encoding: "shift_jis", orders: 2, errors: [] });
    expect(result.registered.map((r) => r.orderRef)).toEqual(["A1", "A2"]);
    const rows = await ordersOf(m);
    const a1 = rows.find((r) => r.orderRef === "A1")!;
    expect(a1).toMatchObject({ source: "csv", status: "registered", amount: 6_000, buyerName: "山田 花子", items: [{ name: "緑茶", quantity: 1, unitPrice: 3_000 }, { name: "急須", quantity: 2, unitPrice: 1_500 }] });
    expect(rows.find((r) => r.orderRef === "A2")!.invoiceDelivery).toBe("enclosed");
  });

  it("lists every bad row and writes nothing; with valid_only, the good orders are registered and the bad listed", async () => {
    const { m, ctx } = await merchant();
    await uploadAtobaraiOrders(ctx, { file: utf8([HEADER, row("TAKEN")]) });
    const lines = [
      HEADER,
      row("B1"),
      row("B2", { postal: "12-345" }),
      row("B3", { email: "no-at-sign", qty: "x" }),
      row("TAKEN"),
      row("B4", { amount: "9999" }),
      row("B5"),
      row("B5", { item: "別", email: "other@example.jp" }),
      row("B6", { kana: "Yamada" }),
    ];
    const refused = await uploadAtobaraiOrders(ctx, { file: utf8(lines) });
    expect(refused.encoding).toBe("utf-8");
    expect(refused.registered).toEqual([]);
    expect(refused.errors.map((e) => [e.line, e.column, e.reason])).toEqual([
      [3, "postal_code", "invalid"],
      [4, "quantity", "not_a_number"],
      [5, "order_ref", "order_ref_taken"],
      [6, "amount", "invalid"],
      [8, "email", "differs_from_first_row"],
      [9, "buyer_kana", "invalid"],
    ]);
    expect((await ordersOf(m)).map((o) => o.orderRef)).toEqual(["TAKEN"]);

    const partial = await uploadAtobaraiOrders(ctx, { file: utf8(lines), mode: "valid_only" });
    expect(partial.registered.map((r) => r.orderRef)).toEqual(["B1"]);
    expect(partial.errors).toHaveLength(6);
    expect((await ordersOf(m)).map((o) => o.orderRef).sort()).toEqual(["B1", "TAKEN"]);
  });

  it("refuses a file it cannot read: unknown or missing columns, no rows", async () => {
    const { ctx } = await merchant();
    await expect(uploadAtobaraiOrders(ctx, { file: utf8(["注文番号,好きな色", "X,赤"]) })).rejects.toMatchObject({ code: "invalid", details: { reason: "unknown_column" } });
    await expect(uploadAtobaraiOrders(ctx, { file: utf8(["注文番号,購入者名"]) })).rejects.toMatchObject({ code: "invalid", details: { reason: "missing_column" } });
    await expect(uploadAtobaraiOrders(ctx, { file: utf8([HEADER]) })).rejects.toMatchObject({ code: "invalid", details: { reason: "no_rows" } });
  });

  it("tracking numbers by CSV: every row checked first, nothing ships when one is bad; then the invoices are issued and mailed", async () => {
    const { m, ctx } = await merchant();
    await uploadAtobaraiOrders(ctx, { file: utf8([HEADER, row("S1"), row("S2"), row("S3", { price: "60000" }), row("S4")]) });
    await screenRegisteredAtobaraiOrders(m.ctx(fixedClock(NOW)));
    const SHIP = "注文番号,送り状番号,配送業者,請求書送付方法";
    const bad = [SHIP, "S1,1111-2222,ヤマト運輸,", "S2,番号なし,,", "S3,3333-4444,,", "NOPE,5555-6666,,", "S1,7777-8888,,", "S4,9999-0000,,箱"];
    const refused = await uploadAtobaraiShipments(ctx, { file: sjis(bad) });
    expect(refused.shipped).toEqual([]);
    expect(refused.errors.map((e) => [e.line, e.reason])).toEqual([
      [3, "invalid"],
      [4, "order_rejected"],
      [5, "unknown_order"],
      [6, "duplicate_row"],
      [7, "unknown_delivery"],
    ]);
    expect((await ordersOf(m)).filter((o) => o.status === "shipped")).toEqual([]);

    const ok = await uploadAtobaraiShipments(ctx, { file: utf8([SHIP, "S1,1111-2222,ヤマト運輸,", "S2,2222-3333,佐川急便,同梱"]) });
    expect(ok.errors).toEqual([]);
    expect(ok.shipped.map((s) => s.orderRef)).toEqual(["S1", "S2"]);
    const shipped = (await ordersOf(m)).filter((o) => o.status === "shipped");
    expect(shipped.map((o) => [o.orderRef, o.trackingNumber, o.carrier, o.invoiceDelivery, o.dueOn])).toEqual(
      expect.arrayContaining([
        ["S1", "1111-2222", "ヤマト運輸", "mail", "2027-06-15"],
        ["S2", "2222-3333", "佐川急便", "enclosed", "2027-06-15"],
      ]),
    );
    const invoiceMails = await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "atobarai_invoice")));
    expect(invoiceMails.map((x) => x.toAddress)).toEqual(["s1@example.jp"]);
  });
});
