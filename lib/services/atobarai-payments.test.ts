import { eq } from "drizzle-orm";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrderEvents, atobaraiPaymentImports, atobaraiPayments } from "@/db/schema";
import { atobaraiOrder, enableAtobarai, seedAtobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { jst, rejection, setupTestMerchant, staffMemberOf } from "@/test/support/merchant";
import { withGateway } from "@/test/support/platform";
import { importAtobaraiPaymentNotices, recordAtobaraiPayment, recordSandboxAtobaraiPayment } from "./atobarai-payments";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

const NOW = jst("2027-03-01T10:00:00");
const utf8 = (text: string) => new TextEncoder().encode(text);

async function merchantWithOrders() {
  const m = await setupTestMerchant(database, { now: NOW });
  await enableAtobarai(database, m.merchantId);
  const full = await seedAtobaraiOrder(database, m.merchantId, { amount: 5_500, shippedAt: jst("2027-02-10T12:00:00"), dueOn: "2027-02-24" });
  const part = await seedAtobaraiOrder(database, m.merchantId, { amount: 12_800, shippedAt: jst("2027-02-11T12:00:00"), dueOn: "2027-02-25" });
  return { m, full, part };
}

async function paymentsOf(orderId: string) {
  return database.db.select().from(atobaraiPayments).where(eq(atobaraiPayments.orderId, orderId));
}

describe("payment notices", () => {
  it("records each notice once: the same file imported again (as Shift_JIS this time) records nothing twice; bad rows are listed", async () => {
    const { m, full, part } = await merchantWithOrders();
    const csv = [
      "通知番号,払込票番号,振込依頼人番号,注文番号,金額,入金日,入金方法",
      `N-001,${full.paymentNumber},,,"5,500",2027/02/20,コンビニ`,
      `N-002,,${part.bankReference},,8000,2027-02-21,銀行`,
      `N-003,0000000000000,,,1000,2027-02-21,コンビニ`,
      `N-004,,,${part.orderRef},abc,2027-02-21,郵便局`,
      `N-005,${full.paymentNumber},,${part.orderRef},100,2027-02-21,コンビニ`,
      ``,
    ].join("\r\n");
    const first = await importAtobaraiPaymentNotices(m.ctx(), { fileName: "収納データ.csv", bytes: utf8(csv) });
    expect(first).toMatchObject({ recorded: 2, duplicates: 0, refused: 3 });
    expect(first.errors.map((e) => e.row)).toEqual([4, 5, 6]);
    expect(first.errors.map((e) => [e.code, e.value])).toEqual([
      ["no_such_order", undefined],
      ["amount_invalid", "abc"],
      ["different_orders", undefined],
    ]);

    expect(await atobaraiOrder(database, full.id)).toMatchObject({ status: "paid", amountPaid: 5_500, paidAt: jst("2027-02-20T00:00:00") });
    expect(await atobaraiOrder(database, part.id)).toMatchObject({ status: "shipped", amountPaid: 8_000, paidAt: null });

    const again = await importAtobaraiPaymentNotices(m.ctx(), { fileName: "収納データ.csv", bytes: iconv.encode(csv, "Shift_JIS") });
    expect(again).toMatchObject({ recorded: 0, duplicates: 2, refused: 3 });
    expect((await paymentsOf(full.id)).map((p) => [p.noticeId, p.amount, p.channel])).toEqual([["N-001", 5_500, "konbini"]]);
    expect((await paymentsOf(part.id)).map((p) => [p.noticeId, p.amount, p.channel])).toEqual([["N-002", 8_000, "bank"]]);
    expect(await atobaraiOrder(database, part.id)).toMatchObject({ amountPaid: 8_000 });
    const imports = await database.db.select().from(atobaraiPaymentImports).where(eq(atobaraiPaymentImports.merchantId, m.merchantId));
    expect(imports.map((i) => [i.encoding, i.recorded, i.duplicates, i.refused]).sort()).toEqual([
      ["shift_jis", 0, 2, 3],
      ["utf-8", 2, 0, 3],
    ]);
    const events = await database.db.select().from(atobaraiOrderEvents).where(eq(atobaraiOrderEvents.orderId, full.id));
    expect(events.map((e) => e.kind)).toEqual(["pay"]);
  });

  it("an under-payment leaves the balance; the rest pays the order; a payment beyond it is owed back (返金が必要)", async () => {
    const { m, part } = await merchantWithOrders();
    const first = await recordAtobaraiPayment(m.ctx(), { orderId: part.id, noticeId: "api-1", amount: 2_800, channel: "bank" });
    expect(first).toMatchObject({ outcome: "recorded", order: { status: "shipped", amountPaid: 2_800 } });
    const rest = await recordAtobaraiPayment(m.ctx(), { orderId: part.id, noticeId: "api-2", amount: 10_000 });
    expect(rest).toMatchObject({ outcome: "recorded", order: { status: "paid", amountPaid: 12_800 } });
    const csv = `notice_id,order_ref,amount,paid_at\nN-9,${part.orderRef},1500,2027-02-28 15:30\n`;
    const over = await importAtobaraiPaymentNotices(m.ctx(), { fileName: "notices.csv", bytes: utf8(csv) });
    expect(over).toMatchObject({ recorded: 1, refundsOwed: [{ orderId: part.id, amount: 1_500 }] });
    expect(await atobaraiOrder(database, part.id)).toMatchObject({ status: "paid", amountPaid: 14_300 });
    const [payment] = (await paymentsOf(part.id)).filter((p) => p.noticeId === "N-9");
    expect(payment!.paidAt).toEqual(jst("2027-02-28T15:30:00"));
    const events = await database.db.select().from(atobaraiOrderEvents).where(eq(atobaraiOrderEvents.orderId, part.id));
    expect(events.map((e) => [e.kind, e.data.balance])).toEqual([
      ["payment", 10_000],
      ["pay", 0],
      ["payment", -1_500],
    ]);
    expect(events.at(-1)!.data.refundOwed).toBe(1_500);
    // The same notice through the API again changes nothing.
    expect(await recordAtobaraiPayment(m.ctx(), { orderId: part.id, noticeId: "api-2", amount: 10_000 })).toMatchObject({ outcome: "duplicate" });
    expect(await atobaraiOrder(database, part.id)).toMatchObject({ amountPaid: 14_300 });
  });

  it("refuses an order without an invoice, bad input and a viewer, writing nothing", async () => {
    const { m } = await merchantWithOrders();
    const approved = await seedAtobaraiOrder(database, m.merchantId, { status: "approved" });
    expect(await rejection(recordAtobaraiPayment(m.ctx(), { orderId: approved.id, noticeId: "x-1", amount: 100 }))).toMatchObject({ code: "conflict", details: { reason: "order_not_invoiced" } });
    expect(await rejection(recordAtobaraiPayment(m.ctx(), { orderId: approved.id, noticeId: "x-1", amount: 0 }))).toMatchObject({ code: "invalid", details: { param: "amount" } });
    expect(await rejection(recordAtobaraiPayment(m.ctx(), { orderId: "abo_missing", noticeId: "x-1", amount: 100 }))).toMatchObject({ code: "not_found" });
    const viewer = await staffMemberOf(database, m, "viewer", NOW);
    expect(await rejection(recordAtobaraiPayment(viewer, { orderId: approved.id, noticeId: "x-1", amount: 100 }))).toMatchObject({ code: "forbidden" });
    expect(await rejection(importAtobaraiPaymentNotices(m.ctx(), { fileName: "empty.csv", bytes: new Uint8Array() }))).toMatchObject({ code: "invalid", details: { reason: "empty_file" } });
    expect(await rejection(importAtobaraiPaymentNotices(m.ctx(), { fileName: "head.csv", bytes: utf8("notice_id,amount\n") }))).toMatchObject({ code: "invalid", details: { reason: "no_rows" } });
    expect(await paymentsOf(approved.id)).toEqual([]);
  });

  it("the sandbox helper pays what is left of a test order", async () => {
    const { m, part } = await merchantWithOrders();
    await recordAtobaraiPayment(m.ctx(), { orderId: part.id, noticeId: "api-1", amount: 800 });
    const operator = await staffMemberOf(database, m, "operator", NOW);
    const paid = await recordSandboxAtobaraiPayment(operator, { orderId: part.id });
    expect(paid).toMatchObject({ outcome: "recorded", order: { status: "paid", amountPaid: 12_800 } });
    expect((await paymentsOf(part.id)).map((p) => [p.channel, p.amount])).toEqual([
      ["api", 800],
      ["sandbox", 12_000],
    ]);
    expect(await rejection(recordSandboxAtobaraiPayment(operator, { orderId: part.id }))).toMatchObject({ code: "conflict", details: { reason: "nothing_to_pay" } });

    // A merchant taking real payments (its primary gateway is Stripe): only orders on a test clock.
    const live = withGateway(operator, { ...m.gateway, name: "stripe" });
    const real = await seedAtobaraiOrder(database, m.merchantId, { amount: 1_000, shippedAt: jst("2027-02-12T12:00:00"), dueOn: "2027-02-26" });
    expect(await rejection(recordSandboxAtobaraiPayment(live, { orderId: real.id }))).toMatchObject({ code: "forbidden", details: { reason: "not_a_test_order" } });
    expect(await paymentsOf(real.id)).toEqual([]);
  });
});
