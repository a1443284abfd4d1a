import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrderEvents, atobaraiStatementLines, atobaraiStatements, mails } from "@/db/schema";
import { atobaraiOrder, enableAtobarai, seedAtobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { jst, setupTestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { importAtobaraiPaymentNotices } from "./atobarai-payments";
import { fixedClock, SYSTEM_ACTOR } from "./context";
import { lockAtobaraiOrder, transitionAtobaraiOrder } from "./internal/atobarai-orders";
import { runAtobaraiMoney } from "./run-atobarai-money";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

const at = (instant: Date) => testPlatform(database.db, { clock: fixedClock(instant) });

/**
 * An order's life on a simulated clock: registered, screened OK and shipped (through the one writer: ORDERS' services
 * do these on their branch, and the lead switches this test to them on merge), then reminded, paid by a notice file
 * and on the month's statement.
 */
describe("後払い: an order's whole life, money side", () => {
  it("registered → OK → shipped → reminded → paid → on the statement", async () => {
    const m = await setupTestMerchant(database);
    await enableAtobarai(database, m.merchantId);
    const registered = await seedAtobaraiOrder(database, m.merchantId, { status: "registered", amount: 9_900 });
    const shippedAt = jst("2027-04-03T15:00:00");
    await database.db.transaction(async (tx) => {
      const order = await transitionAtobaraiOrder(tx, await lockAtobaraiOrder(tx, m.merchantId, registered.id), "screen_ok", { actor: SYSTEM_ACTOR, at: jst("2027-04-01T10:10:00") });
      await transitionAtobaraiOrder(tx, order, "ship", {
        set: { trackingNumber: "1234-5678-9012", invoiceIssuedAt: shippedAt, invoiceDelivery: "mail", dueOn: "2027-04-17", paymentNumber: "5000000000016", bankReference: "5000000008" },
        actor: SYSTEM_ACTOR,
        at: shippedAt,
      });
    });
    // Unpaid a week after the due date: reminded once; the April close is not due yet.
    expect(await runAtobaraiMoney(at(jst("2027-04-24T09:00:00")))).toMatchObject({ reminded: expect.any(Number) });
    expect((await database.db.select().from(mails).where(eq(mails.merchantId, m.merchantId))).map((x) => x.template)).toEqual(["atobarai_reminder"]);
    const paid = await importAtobaraiPaymentNotices(m.ctx(fixedClock(jst("2027-04-26T09:00:00"))), { fileName: "0426.csv", bytes: new TextEncoder().encode("通知番号,払込票番号,金額,入金日\nL-1,5000000000016,9900,2027/04/25\n") });
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
    expect(events.map((e) => e.kind)).toEqual(["screen_ok", "ship", "reminder", "pay"]);
    // Nothing more happens: no reminder for a paid order, no second statement for April.
    await runAtobaraiMoney(at(jst("2027-05-10T00:10:00")));
    expect(await database.db.$count(mails, eq(mails.merchantId, m.merchantId))).toBe(1);
    expect(await database.db.$count(atobaraiStatements, eq(atobaraiStatements.merchantId, m.merchantId))).toBe(1);
  });
});
