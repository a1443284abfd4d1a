import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrders, invoices, mails } from "@/db/schema";
import { enableAtobarai, atobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, rejection, setupTestMerchant, signedUpContract, staffMemberOf } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { advanceTestClock } from "./advance-test-clock";
import { importAtobaraiPaymentNotices } from "./atobarai-payments";
import { fixedClock } from "./context";
import { atobaraiChargeId } from "./internal/atobarai-fallback";
import { runAtobaraiCollection } from "./run-atobarai-collection";
import { sendAtobaraiFallback } from "./send-atobarai-fallback";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

const BUYER = { buyerKana: "ヤマダ タロウ", buyerPhone: "090-1111-2222", postalCode: "100-0001", address: "東京都千代田区千代田1-1" };

describe("a card's fallback (konbini / bank invoice for an overdue card charge)", () => {
  it("paying the invoice settles the overdue charge and the contract recovers as after a card payment", async () => {
    const m = await setupTestMerchant(database);
    await enableAtobarai(database, m.merchantId);
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "lost_card");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    let h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "unpaid" });
    const overdue = h.sub.overdueInvoiceId!;

    const operator = await staffMemberOf(database, m, "operator", jst("2027-02-11T09:00:00"));
    const order = await sendAtobaraiFallback(operator, { subscriptionId: subscription.id, ...BUYER });
    // On the contract's test clock: issued at its time, due 14 days later (Tokyo), with numbers that carry a check digit.
    expect(order).toMatchObject({ status: "shipped", amount: 3_000, fallbackForInvoiceId: overdue, invoiceIssuedAt: jst("2027-02-10T12:00:00"), dueOn: "2027-02-24", postalCode: "1000001", testClockId: clock.id });
    expect(order.paymentNumber).toMatch(/^[1-9]\d{12}$/);
    expect(order.bankReference).toMatch(/^[1-9]\d{9}$/);
    // The invoice goes to the customer as a shipped order's would: the mail with its numbers, the PDF attached and its link.
    const mailed = await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "atobarai_invoice")));
    expect(mailed.map((x) => [x.toAddress, x.variables.payment_number, x.variables.bank_reference, x.links, x.attachments])).toEqual([
      [order.buyerEmail, order.paymentNumber, order.bankReference, { atobarai_invoice: order.id }, [{ kind: "atobarai_invoice", orderId: order.id, filename: `請求書_${order.orderRef}.pdf` }]],
    ]);
    expect(await rejection(sendAtobaraiFallback(operator, { subscriptionId: subscription.id, ...BUYER }))).toMatchObject({ code: "conflict", details: { reason: "fallback_already_sent" } });

    const csv = `通知番号,払込票番号,金額,入金日\nKB-1,${order.paymentNumber},3000,2027-02-15\n`;
    expect(await importAtobaraiPaymentNotices(m.ctx(), { fileName: "n.csv", bytes: new TextEncoder().encode(csv) })).toMatchObject({ recorded: 1, refused: 0 });
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ status: "paid", amountPaid: 3_000 });
    h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", overdueInvoiceId: null, paidThrough: jst("2027-03-10T00:00:00") });
    expect(h.invoices.find((i) => i.id === overdue)).toMatchObject({ status: "paid" });
    expect(h.attempts.at(-1)).toMatchObject({ status: "succeeded", trigger: "manual", amount: 3_000 });
    expect(h.pending.map((a) => a.kind)).toEqual(["renewal"]);
    expect(h.mails.filter((x) => x.template === "charge_succeeded")).toHaveLength(2);
    // Settling again (the worker's pass) changes nothing.
    expect((await runAtobaraiCollection(testPlatform(database.db, { clock: fixedClock(jst("2027-02-16T00:00:00")) }))).fallbacksSettled).toBe(0);
    expect((await contractHistory(database, subscription.id)).attempts).toHaveLength(h.attempts.length);
  });

  it("the worker settles a paid fallback whose settle did not happen; refuses a contract owing nothing and a viewer", async () => {
    const m = await setupTestMerchant(database);
    await enableAtobarai(database, m.merchantId);
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    expect(await rejection(sendAtobaraiFallback(m.ctx(), { subscriptionId: subscription.id, ...BUYER }))).toMatchObject({ code: "conflict", details: { reason: "nothing_overdue" } });
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "lost_card");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    const viewer = await staffMemberOf(database, m, "viewer", jst("2027-02-11T09:00:00"));
    expect(await rejection(sendAtobaraiFallback(viewer, { subscriptionId: subscription.id, ...BUYER }))).toMatchObject({ code: "forbidden" });
    expect(await rejection(sendAtobaraiFallback(m.ctx(), { subscriptionId: subscription.id, ...BUYER, postalCode: "12" }))).toMatchObject({ code: "invalid", details: { param: "postalCode" } });
    const order = await sendAtobaraiFallback(m.ctx(), { subscriptionId: subscription.id, ...BUYER });
    // As if the process stopped between recording the payment and settling the invoice.
    await database.db.update(atobaraiOrders).set({ status: "paid", amountPaid: 3_000 }).where(eq(atobaraiOrders.id, order.id));
    const run = await runAtobaraiCollection(testPlatform(database.db, { clock: fixedClock(jst("2027-02-16T00:00:00")) }));
    expect(run.fallbacksSettled).toBeGreaterThanOrEqual(1);
    const h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("active");
    const [paid] = await database.db.select().from(invoices).where(eq(invoices.id, order.fallbackForInvoiceId!));
    expect(paid!.status).toBe("paid");
    expect(h.attempts.at(-1)).toMatchObject({ status: "succeeded" });
    expect(atobaraiChargeId(order.id)).toBe(`atobarai:${order.id}`);
  });
});
