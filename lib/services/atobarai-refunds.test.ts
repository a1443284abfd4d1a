import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrderEvents, atobaraiRefunds, auditEvents } from "@/db/schema";
import { refundOwed } from "@/lib/billing/atobarai/order-state";
import { atobaraiOrder, enableAtobarai, seedAtobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { jst, rejection, setupTestMerchant, staffMemberOf } from "@/test/support/merchant";
import { returnAtobaraiOrder } from "./atobarai-order-actions";
import { recordAtobaraiPayment } from "./atobarai-payments";
import { atobaraiOrderRefunds, recordAtobaraiRefund } from "./atobarai-refunds";
import { atobaraiRefundsOwed, listAtobaraiOrders } from "./queries/atobarai-orders";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

const NOW = jst("2027-03-01T10:00:00");

/** A merchant with an order of ¥12,800 the buyer over-paid by ¥1,500. */
async function overPaid() {
  const m = await setupTestMerchant(database, { now: NOW });
  await enableAtobarai(database, m.merchantId);
  const order = await seedAtobaraiOrder(database, m.merchantId, { amount: 12_800, shippedAt: jst("2027-02-11T12:00:00"), dueOn: "2027-02-25" });
  await recordAtobaraiPayment(m.ctx(), { orderId: order.id, noticeId: "N-1", amount: 14_300, channel: "bank" });
  return { m, order };
}

const refundsOf = (orderId: string) => database.db.select().from(atobaraiRefunds).where(eq(atobaraiRefunds.orderId, orderId)).orderBy(atobaraiRefunds.id);
const eventsOf = async (orderId: string) => (await database.db.select().from(atobaraiOrderEvents).where(eq(atobaraiOrderEvents.orderId, orderId))).sort((a, b) => a.id.localeCompare(b.id));

describe("refunds to a 後払い buyer", () => {
  it("an over-payment is paid back in two transfers, after which nothing is owed and a third is refused", async () => {
    const { m, order } = await overPaid();
    expect(refundOwed(await atobaraiOrder(database, order.id))).toBe(1_500);
    expect(await atobaraiRefundsOwed(m.ctx())).toEqual({ orders: 1, total: 1_500 });
    expect((await listAtobaraiOrders(m.ctx(), { limit: 10, refundOwed: true })).rows.map((o) => o.id)).toEqual([order.id]);

    const first = await recordAtobaraiRefund(m.ctx(), { orderId: order.id, amount: 1_000, method: "bank_transfer", note: "振込 0301-001" });
    expect(first).toMatchObject({ outcome: "recorded", refund: { amount: 1_000, method: "bank_transfer", note: "振込 0301-001", refundedAt: NOW, recordedBy: "operator:test" }, order: { amountRefunded: 1_000, status: "paid" } });
    expect(refundOwed(first.order)).toBe(500);
    const second = await recordAtobaraiRefund(m.ctx(), { orderId: order.id, amount: 500, method: "cash" });
    expect(refundOwed(second.order)).toBe(0);
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ status: "paid", amountPaid: 14_300, amountRefunded: 1_500 });

    expect(await rejection(recordAtobaraiRefund(m.ctx(), { orderId: order.id, amount: 1, method: "bank_transfer" }))).toMatchObject({ code: "conflict", details: { reason: "no_refund_owed" } });
    expect((await atobaraiOrderRefunds(m.ctx(), order.id)).map((r) => [r.amount, r.method])).toEqual([
      [1_000, "bank_transfer"],
      [500, "cash"],
    ]);
    expect((await eventsOf(order.id)).map((e) => [e.kind, e.data.amount, e.data.refundOwed])).toEqual([
      ["pay", 14_300, 1_500],
      ["refund", 1_000, 500],
      ["refund", 500, 0],
    ]);
    const audits = await database.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, order.id), eq(auditEvents.action, "atobarai_order.refund_recorded")));
    expect(audits).toHaveLength(2);
    expect(await atobaraiRefundsOwed(m.ctx())).toEqual({ orders: 0, total: 0 });
    expect((await listAtobaraiOrders(m.ctx(), { limit: 10, refundOwed: true })).rows).toEqual([]);
  });

  it("refuses more than is owed, a bad amount or method, and an order owing nothing, changing nothing", async () => {
    const { m, order } = await overPaid();
    expect(await rejection(recordAtobaraiRefund(m.ctx(), { orderId: order.id, amount: 1_501, method: "bank_transfer" }))).toMatchObject({ code: "invalid", details: { param: "amount", reason: "refund_exceeds_owed" } });
    expect(await rejection(recordAtobaraiRefund(m.ctx(), { orderId: order.id, amount: 0, method: "bank_transfer" }))).toMatchObject({ code: "invalid", details: { param: "amount" } });
    expect(await rejection(recordAtobaraiRefund(m.ctx(), { orderId: order.id, amount: 10.5, method: "bank_transfer" }))).toMatchObject({ code: "invalid", details: { param: "amount" } });
    expect(await rejection(recordAtobaraiRefund(m.ctx(), { orderId: order.id, amount: 100, method: "paypay" as "cash" }))).toMatchObject({ code: "invalid", details: { param: "method" } });
    const unpaid = await seedAtobaraiOrder(database, m.merchantId, { amount: 3_000, shippedAt: jst("2027-02-12T12:00:00"), dueOn: "2027-02-26" });
    expect(await rejection(recordAtobaraiRefund(m.ctx(), { orderId: unpaid.id, amount: 100, method: "bank_transfer" }))).toMatchObject({ code: "conflict", details: { reason: "no_refund_owed" } });
    expect(await rejection(recordAtobaraiRefund(m.ctx(), { orderId: "abo_missing", amount: 100, method: "bank_transfer" }))).toMatchObject({ code: "not_found" });

    expect(await refundsOf(order.id)).toEqual([]);
    expect(await refundsOf(unpaid.id)).toEqual([]);
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ amountRefunded: 0 });
    expect((await eventsOf(order.id)).map((e) => e.kind)).toEqual(["pay"]);
  });

  it("owners, admins and operators record refunds; a viewer and another merchant cannot", async () => {
    const { m, order } = await overPaid();
    const viewer = await staffMemberOf(database, m, "viewer", NOW);
    expect(await rejection(recordAtobaraiRefund(viewer, { orderId: order.id, amount: 100, method: "bank_transfer" }))).toMatchObject({ code: "forbidden" });
    const other = await setupTestMerchant(database, { now: NOW });
    await enableAtobarai(database, other.merchantId);
    expect(await rejection(recordAtobaraiRefund(other.ctx(), { orderId: order.id, amount: 100, method: "bank_transfer" }))).toMatchObject({ code: "not_found" });
    expect(await refundsOf(order.id)).toEqual([]);

    for (const role of ["admin", "operator"] as const) {
      const staff = await staffMemberOf(database, m, role, NOW);
      expect(await recordAtobaraiRefund(staff, { orderId: order.id, amount: 100, method: "other", note: role })).toMatchObject({ outcome: "recorded" });
    }
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ amountRefunded: 200 });
    expect((await refundsOf(order.id)).map((r) => [r.note, r.recordedBy.split(":")[0]])).toEqual([
      ["admin", "staff"],
      ["operator", "staff"],
    ]);
  });

  it("the same request key records once; on another order it is refused; two refunds at once never pay back more than is owed", async () => {
    const { m, order } = await overPaid();
    const input = { orderId: order.id, amount: 1_500, method: "bank_transfer" as const, requestKey: "console:dialog-1" };
    const first = await recordAtobaraiRefund(m.ctx(), input);
    const again = await recordAtobaraiRefund(m.ctx(), input);
    expect(again).toMatchObject({ outcome: "duplicate", refund: { id: first.refund.id }, order: { amountRefunded: 1_500 } });
    expect(await refundsOf(order.id)).toHaveLength(1);
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ amountRefunded: 1_500 });

    const { order: second } = await (async () => {
      const o = await seedAtobaraiOrder(database, m.merchantId, { amount: 1_000, shippedAt: jst("2027-02-12T12:00:00"), dueOn: "2027-02-26" });
      await recordAtobaraiPayment(m.ctx(), { orderId: o.id, noticeId: "N-2", amount: 1_800 });
      return { order: o };
    })();
    expect(await rejection(recordAtobaraiRefund(m.ctx(), { ...input, orderId: second.id, amount: 800 }))).toMatchObject({ code: "conflict", details: { reason: "request_key_reused" } });

    // Two staff record the whole ¥800 at the same moment: the order's lock lets one through.
    const both = await Promise.allSettled([0, 1].map(() => recordAtobaraiRefund(m.ctx(), { orderId: second.id, amount: 800, method: "bank_transfer" })));
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(both.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict", details: { reason: "no_refund_owed" } } });
    expect(await atobaraiOrder(database, second.id)).toMatchObject({ amountRefunded: 800 });
  });

  it("a return after payment owes back all that was paid", async () => {
    const m = await setupTestMerchant(database, { now: NOW });
    await enableAtobarai(database, m.merchantId);
    const order = await seedAtobaraiOrder(database, m.merchantId, { amount: 5_500, shippedAt: jst("2027-02-11T12:00:00"), dueOn: "2027-02-25" });
    await recordAtobaraiPayment(m.ctx(), { orderId: order.id, noticeId: "N-1", amount: 5_500 });
    expect(refundOwed(await atobaraiOrder(database, order.id))).toBe(0);
    const returned = await returnAtobaraiOrder(m.ctx(), { orderId: order.id, reason: "破損" });
    expect(refundOwed(returned)).toBe(5_500);
    expect(await atobaraiRefundsOwed(m.ctx())).toEqual({ orders: 1, total: 5_500 });
    expect(await rejection(recordAtobaraiRefund(m.ctx(), { orderId: order.id, amount: 5_501, method: "bank_transfer" }))).toMatchObject({ details: { reason: "refund_exceeds_owed" } });
    const done = await recordAtobaraiRefund(m.ctx(), { orderId: order.id, amount: 5_500, method: "bank_transfer" });
    expect(done.order).toMatchObject({ status: "returned", amountRefunded: 5_500 });
    expect(refundOwed(done.order)).toBe(0);
    expect(await atobaraiRefundsOwed(m.ctx())).toEqual({ orders: 0, total: 0 });
  });
});
