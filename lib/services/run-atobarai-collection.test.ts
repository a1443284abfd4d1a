import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiOrderEvents, mails, merchants } from "@/db/schema";
import { collectionStepDue } from "@/lib/billing/atobarai/collection";
import { DEFAULT_ATOBARAI_SETTINGS } from "@/lib/billing/atobarai/settings";
import { parseLocalDate } from "@/lib/billing/calendar";
import { renderMail } from "@/lib/mail/render-mail";
import { atobaraiOrder, enableAtobarai, seedAtobaraiOrder } from "@/test/support/atobarai";
import { openTestDatabase } from "@/test/support/database";
import { jst, setupTestMerchant, staffMemberOf } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { recordAtobaraiPayment } from "./atobarai-payments";
import { fixedClock } from "./context";
import { runAtobaraiCollection } from "./run-atobarai-collection";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

const at = (instant: Date) => testPlatform(database.db, { clock: fixedClock(instant) });

async function mailsOf(merchantId: string) {
  return database.db.select().from(mails).where(eq(mails.merchantId, merchantId)).orderBy(asc(mails.queuedAt), asc(mails.id));
}

describe("後払い reminders and collection", () => {
  it("steps: the latest reminder due and not sent, or collection once its day has come", () => {
    const settings = DEFAULT_ATOBARAI_SETTINGS;
    const step = (today: string, remindersSent = 0) => collectionStepDue({ dueOn: "2027-02-15", remindersSent }, settings, parseLocalDate(today));
    expect(step("2027-02-21")).toBeNull();
    expect(step("2027-02-22")).toMatchObject({ kind: "reminder", number: 1 });
    expect(step("2027-02-25", 1)).toBeNull();
    expect(step("2027-03-03")).toMatchObject({ kind: "reminder", number: 2 });
    expect(step("2027-03-08", 2)).toMatchObject({ kind: "collection" });
  });

  it("reminds on the days after the due date (merchant's time zone), sends each once, then hands the order to collection and tells the owners", async () => {
    const m = await setupTestMerchant(database);
    await enableAtobarai(database, m.merchantId);
    await staffMemberOf(database, m, "owner", jst("2027-02-01T09:00:00"));
    const order = await seedAtobaraiOrder(database, m.merchantId, { amount: 12_800, shippedAt: jst("2027-02-01T12:00:00"), dueOn: "2027-02-15" });
    const paid = await seedAtobaraiOrder(database, m.merchantId, { amount: 3_000, shippedAt: jst("2027-02-01T12:00:00"), dueOn: "2027-02-15" });
    await recordAtobaraiPayment(m.ctx(fixedClock(jst("2027-02-14T10:00:00"))), { orderId: paid.id, noticeId: "n-paid", amount: 3_000 });
    await recordAtobaraiPayment(m.ctx(fixedClock(jst("2027-02-16T10:00:00"))), { orderId: order.id, noticeId: "n-part", amount: 2_800 });

    // 23:59 in Tokyo on the 21st: a day too early. 00:01 on the 22nd (still the 21st in UTC): the first reminder.
    await runAtobaraiCollection(at(jst("2027-02-21T23:59:00")));
    expect(await mailsOf(m.merchantId)).toEqual([]);
    await runAtobaraiCollection(at(jst("2027-02-22T00:01:00")));
    await runAtobaraiCollection(at(jst("2027-02-22T09:00:00")));
    let sent = await mailsOf(m.merchantId);
    expect(sent.map((x) => [x.template, x.toAddress, x.variables.amount])).toEqual([["atobarai_reminder", order.buyerEmail, "¥10,000"]]);
    const rendered = await renderMail({ template: "atobarai_reminder", locale: "ja", variables: sent[0]!.variables, override: null });
    expect(rendered.subject).toBe(`【テスト商店】お支払い期限を過ぎております（ご注文番号 ${order.orderRef}）`);
    expect(rendered.text).toContain(`払込票番号（コンビニ・郵便局）：${order.paymentNumber}`);
    expect(rendered.text).toContain(`振込依頼人番号（銀行振込）：${order.bankReference}`);
    expect(rendered.text).toContain("お支払い期限の2027年2月15日を過ぎても");

    await runAtobaraiCollection(at(jst("2027-02-28T23:00:00")));
    expect(await mailsOf(m.merchantId)).toHaveLength(1);
    await runAtobaraiCollection(at(jst("2027-03-01T08:00:00")));
    sent = await mailsOf(m.merchantId);
    expect(sent.map((x) => x.template)).toEqual(["atobarai_reminder", "atobarai_final_reminder"]);
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ status: "shipped", remindersSent: 2 });

    await runAtobaraiCollection(at(jst("2027-03-07T23:00:00")));
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ status: "shipped" });
    await runAtobaraiCollection(at(jst("2027-03-08T00:30:00")));
    await runAtobaraiCollection(at(jst("2027-03-09T00:30:00")));
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ status: "collection", collectionAt: jst("2027-03-08T00:30:00") });
    sent = await mailsOf(m.merchantId);
    expect(sent.map((x) => x.template)).toEqual(["atobarai_reminder", "atobarai_final_reminder", "atobarai_collection"]);
    expect(sent[2]!.toAddress).toBe(`owner-${m.merchantId}@staff.test`.toLowerCase());
    expect(sent[2]!.variables).toMatchObject({ order_ref: order.orderRef, amount: "¥10,000", name: "後払 花子" });
    const events = await database.db.select().from(atobaraiOrderEvents).where(and(eq(atobaraiOrderEvents.orderId, order.id))).orderBy(asc(atobaraiOrderEvents.at));
    expect(events.map((e) => e.kind)).toEqual(["payment", "reminder", "reminder", "to_collection"]);
    // The order paid before its due date was never reminded.
    expect(await atobaraiOrder(database, paid.id)).toMatchObject({ status: "paid", remindersSent: 0 });
    expect(sent.filter((x) => x.toAddress === paid.buyerEmail)).toEqual([]);

    // Paid in collection: paid, and nothing more is sent.
    await recordAtobaraiPayment(m.ctx(fixedClock(jst("2027-03-10T10:00:00"))), { orderId: order.id, noticeId: "n-late", amount: 10_000 });
    expect(await atobaraiOrder(database, order.id)).toMatchObject({ status: "paid", amountPaid: 12_800 });
  });

  it("a merchant that switched a reminder off gets it written as skipped", async () => {
    const m = await setupTestMerchant(database);
    await enableAtobarai(database, m.merchantId, { reminderDays: [3], collectionAfterDays: 30 });
    await database.db.update(merchants).set({ mailSettings: { atobarai_reminder: { enabled: false } } as never }).where(eq(merchants.id, m.merchantId));
    await seedAtobaraiOrder(database, m.merchantId, { shippedAt: jst("2027-02-01T12:00:00"), dueOn: "2027-02-15" });
    await runAtobaraiCollection(at(jst("2027-02-18T09:00:00")));
    expect((await mailsOf(m.merchantId)).map((x) => [x.template, x.status, x.statusReason])).toEqual([["atobarai_reminder", "skipped", "disabled_for_merchant"]]);
  });
});
