import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrderEvents, atobaraiStatementLines, atobaraiStatements, mails } from "@/db/schema";
import { atobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { jst, setupTestMerchant, staffMemberOf } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { importAtobaraiPaymentNotices } from "./atobarai-payments";
import { shipAtobaraiOrder } from "./atobarai-order-actions";
import { enableAtobarai } from "./atobarai-settings";
import { fixedClock } from "./context";
import { registerAtobaraiOrder } from "./register-atobarai-order";
import { runAtobaraiMoney } from "./run-atobarai-money";
import { screenAtobaraiOrder } from "./screen-atobarai-orders";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

const at = (instant: Date) => testPlatform(database.db, { clock: fixedClock(instant) });

/**
 * An order's life on simulated clocks, through the services every caller uses: registered (the API's way), screened
 * OK by the screening worker, shipped with its tracking number (the invoice mailed the same day), reminded, paid by a
 * notice file, and on the month's statement.
 */
describe("後払い: an order's whole life", () => {
  it("registered → OK → shipped → invoice mailed → reminded → paid → on the statement", async () => {
    const m = await setupTestMerchant(database);
    const owner = await staffMemberOf(database, m, "owner", jst("2027-04-01T10:00:00"));
    await enableAtobarai(owner);
    const registered = await registerAtobaraiOrder(m.ctx(fixedClock(jst("2027-04-01T10:00:00"))), {
      orderRef: "LIFE-1",
      buyer: { name: "山田 花子", kana: "ヤマダ ハナコ", email: "hanako-life@example.jp", phone: "090-1234-5678", postalCode: "100-0001", address: "東京都千代田区千代田1-1" },
      items: [{ name: "緑茶セット", quantity: 2, unitPrice: 4_950 }],
    }, "api");
    expect(registered).toMatchObject({ status: "registered", amount: 9_900 });
    expect(await screenAtobaraiOrder(at(jst("2027-04-01T10:10:00")), m.merchantId, registered.id)).toBe("ok");
    const shippedAt = jst("2027-04-03T15:00:00");
    const shipped = await shipAtobaraiOrder(m.ctx(fixedClock(shippedAt)), { orderId: registered.id, trackingNumber: "1234-5678-9012", carrier: null, invoiceDelivery: "mail" });
    expect(shipped).toMatchObject({ status: "shipped", dueOn: "2027-04-17" });
    const invoiceMail = await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "atobarai_invoice")));
    expect(invoiceMail.map((x) => [x.toAddress, x.queuedAt])).toEqual([["hanako-life@example.jp", shippedAt]]);
    // Unpaid a week after the due date: reminded once; the April close is not due yet.
    expect(await runAtobaraiMoney(at(jst("2027-04-24T09:00:00")))).toMatchObject({ reminded: expect.any(Number) });
    const buyerMails = () => database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.toAddress, "hanako-life@example.jp"))).orderBy(asc(mails.queuedAt));
    expect((await buyerMails()).map((x) => x.template)).toEqual(["atobarai_invoice", "atobarai_reminder"]);
    const paid = await importAtobaraiPaymentNotices(m.ctx(fixedClock(jst("2027-04-26T09:00:00"))), { fileName: "0426.csv", bytes: new TextEncoder().encode(`通知番号,払込票番号,金額,入金日\nL-1,${shipped.paymentNumber},9900,2027/04/25\n`) });
    expect(paid).toMatchObject({ recorded: 1, refused: 0 });
    expect(await atobaraiOrder(database, registered.id)).toMatchObject({ status: "paid", amountPaid: 9_900, remindersSent: 1 });

    await runAtobaraiMoney(at(jst("2027-05-01T00:10:00")));
    const statements = await database.db.select().from(atobaraiStatements).where(eq(atobaraiStatements.merchantId, m.merchantId));
    expect(statements.map((s) => [s.periodStart, s.periodEnd, s.sales, s.fees, s.net])).toEqual([["2027-04-01", "2027-04-30", 9_900, 190 + 287, 9_900 - 477]]);
    const lines = await database.db.select().from(atobaraiStatementLines).where(eq(atobaraiStatementLines.statementId, statements[0]!.id));
    expect(lines.map((l) => [l.kind, l.amount]).sort()).toEqual([
      ["fee", -477],
      ["sale", 9_900],
    ]);
    const events = await database.db.select().from(atobaraiOrderEvents).where(eq(atobaraiOrderEvents.orderId, registered.id)).orderBy(asc(atobaraiOrderEvents.at));
    expect(events.map((e) => e.kind)).toEqual(["registered", "screen_ok", "ship", "invoice_mailed", "reminder", "pay"]);
    // Nothing more happens: no reminder for a paid order, no second statement for April.
    await runAtobaraiMoney(at(jst("2027-05-10T00:10:00")));
    expect(await buyerMails()).toHaveLength(2);
    expect(await database.db.$count(atobaraiStatements, eq(atobaraiStatements.merchantId, m.merchantId))).toBe(1);
  });
});
