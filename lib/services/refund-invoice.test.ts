import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { invoices, refunds, sandboxRefunds } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, rejection, setupTestMerchant, signedUpContract } from "@/test/support/merchant";
import { withGateway } from "@/test/support/platform";
import { advanceTestClock } from "./advance-test-clock";
import { refundInvoice } from "./refund-invoice";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

async function gatewayRefunds(invoiceId: string) {
  const rows = await database.db.select().from(refunds).where(eq(refunds.invoiceId, invoiceId));
  const ids = rows.map((r) => r.id);
  return (await database.db.select().from(sandboxRefunds)).filter((r) => ids.includes(r.idempotencyKey));
}

describe("refunds", () => {
  it("refunds in part, then the rest by default; never more than was paid; the contract is untouched", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m, { amount: 3300, interval: "month" });
    const [invoice] = (await contractHistory(database, subscription.id)).invoices;
    const part = await refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 1000, reason: "レッスン1回分の欠席" });
    expect(part).toMatchObject({ status: "succeeded", amount: 1000, currency: "jpy", reason: "レッスン1回分の欠席", gatewayRefundId: expect.stringMatching(/^re_/) });
    const tooMuch = await rejection(refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 2301 }));
    expect(tooMuch).toMatchObject({ code: "invalid", details: { param: "amount", reason: "amount_too_large" } });
    expect(tooMuch.message).toContain("2,300");
    const rest = await refundInvoice(m.ctx(), { invoiceId: invoice!.id });
    expect(rest).toMatchObject({ status: "succeeded", amount: 2300 });
    expect(await rejection(refundInvoice(m.ctx(), { invoiceId: invoice!.id }))).toMatchObject({ code: "conflict", details: { reason: "fully_refunded" } });

    const [after] = await database.db.select().from(invoices).where(eq(invoices.id, invoice!.id));
    expect(after).toMatchObject({ status: "paid", amountRefunded: 3300 });
    expect((await gatewayRefunds(invoice!.id)).map((r) => r.amount).sort()).toEqual([1000, 2300]);
    const h = await contractHistory(database, subscription.id);
    expect(h.sub).toMatchObject({ status: "active", paidThrough: jst("2027-02-10T00:00:00") });
    expect(h.mails.filter((x) => x.template === "refund").map((x) => x.variables.amount)).toEqual(["¥1,000", "¥2,300"]);
  });

  it("a repeated request (same key) refunds once; a refund whose answer was lost is confirmed by the same request", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m);
    const [invoice] = (await contractHistory(database, subscription.id)).invoices;
    const once = await refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 500, requestKey: "req-1" });
    const again = await refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 500, requestKey: "req-1" });
    expect(again.id).toBe(once.id);

    // The gateway refunds, but its answer never comes back: the refund stays pending and counts against what is left.
    const lost = withGateway(m.ctx(), {
      ...m.gateway,
      refund: async (request) => {
        await m.gateway.refund(request);
        throw new Error("connection reset");
      },
    });
    expect(await rejection(refundInvoice(lost, { invoiceId: invoice!.id, amount: 2000, requestKey: "req-2" }))).toMatchObject({ code: "unavailable" });
    const [pending] = await database.db.select().from(refunds).where(eq(refunds.requestKey, "req-2"));
    expect(pending).toMatchObject({ status: "pending", amount: 2000 });
    expect(await rejection(refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 600 }))).toMatchObject({ code: "invalid", details: { param: "amount" } });
    const confirmed = await refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 2000, requestKey: "req-2" });
    expect(confirmed).toMatchObject({ id: pending!.id, status: "succeeded" });
    expect((await gatewayRefunds(invoice!.id)).map((r) => r.amount).sort()).toEqual([2000, 500]);
    const [after] = await database.db.select().from(invoices).where(eq(invoices.id, invoice!.id));
    expect(after!.amountRefunded).toBe(2500);
  });

  it("two refunds at once never give back more than was paid", async () => {
    const m = await setupTestMerchant(database);
    const { subscription } = await signedUpContract(m);
    const [invoice] = (await contractHistory(database, subscription.id)).invoices;
    const results = await Promise.allSettled([1, 2, 3].map(() => refundInvoice(m.ctx(), { invoiceId: invoice!.id, amount: 1200 })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const [after] = await database.db.select().from(invoices).where(eq(invoices.id, invoice!.id));
    expect(after!.amountRefunded).toBe(2400);
  });

  it("refuses an invoice that is not paid or charged nothing", async () => {
    const m = await setupTestMerchant(database);
    const { clock, subscription, paymentMethod } = await signedUpContract(m);
    await m.gateway.testControls.setCardBehavior(paymentMethod.gatewayRef, "decline");
    await advanceTestClock(m.ctx(), { testClockId: clock.id, frozenTime: jst("2027-02-10T12:00:00") });
    const open = (await contractHistory(database, subscription.id)).invoices.at(-1)!;
    expect(await rejection(refundInvoice(m.ctx(), { invoiceId: open.id }))).toMatchObject({ code: "conflict", details: { reason: "invoice_not_paid" } });
  });
});
