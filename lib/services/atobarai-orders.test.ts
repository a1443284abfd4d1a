import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { atobaraiAccounts, atobaraiOrderEvents, atobaraiOrders, mails } from "@/db/schema";
import { atobaraiInvoicePdf } from "@/lib/atobarai/invoice-pdf";
import { verifyLinkToken } from "@/lib/auth/signed-link";
import { hasValidCheckDigit } from "@/lib/billing/atobarai/payment-reference";
import { mailLinkVariables } from "@/lib/mail/links";
import { TEST_LINKS } from "@/test/support/platform";
import { getAtobaraiInvoiceView } from "./queries/atobarai-orders";
import { openTestDatabase } from "@/test/support/database";
import { setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { fixedClock, type ServiceContext } from "./context";
import { cancelAtobaraiOrder, decideAtobaraiReview, returnAtobaraiOrder, shipAtobaraiOrder } from "./atobarai-order-actions";
import type { AtobaraiOrderInput } from "./atobarai-order-input";
import { enableAtobarai, updateAtobaraiSettings } from "./atobarai-settings";
import { registerAtobaraiOrder } from "./register-atobarai-order";
import { screenAtobaraiOrder, screenRegisteredAtobaraiOrders } from "./screen-atobarai-orders";

const NOW = new Date("2027-06-01T03:00:00Z"); // 12:00 in Tokyo

function atobaraiOrderInput(over: Partial<Omit<AtobaraiOrderInput, "buyer">> & { buyer?: Partial<AtobaraiOrderInput["buyer"]> } = {}): AtobaraiOrderInput {
  const { buyer, ...rest } = over;
  return {
    orderRef: `ORD-${Math.random().toString(36).slice(2, 10)}`,
    buyer: { name: "山田 花子", kana: "ヤマダ ハナコ", email: "hanako@example.jp", phone: "090-1234-5678", postalCode: "100-0001", address: "東京都千代田区千代田1-1", ...buyer },
    items: [{ name: "緑茶セット", quantity: 2, unitPrice: 2_490 }],
    ...rest,
  };
}

describe("後払い orders: settings, registration, screening, review, shipment, cancel and return", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  async function merchant(): Promise<{ m: TestMerchant; ctx: ServiceContext; owner: ServiceContext }> {
    const m = await setupTestMerchant(database, { now: NOW });
    const ctx = m.ctx(fixedClock(NOW));
    const owner = await staffMemberOf(database, m, "owner", NOW);
    await enableAtobarai(owner);
    return { m, ctx, owner };
  }
  const screenAll = (m: TestMerchant, at = NOW) => screenRegisteredAtobaraiOrders({ ...m.ctx(fixedClock(at)) });
  const orderRow = async (id: string) => (await database.db.select().from(atobaraiOrders).where(eq(atobaraiOrders.id, id)))[0]!;
  async function screened(ctx: ServiceContext, m: TestMerchant, input: AtobaraiOrderInput) {
    const order = await registerAtobaraiOrder(ctx, input);
    await screenAtobaraiOrder(m.ctx(fixedClock(NOW)), m.merchantId, order.id);
    return orderRow(order.id);
  }
  /** An earlier order of a buyer, shipped and unpaid (it holds credit), or handed to collection (a default). */
  async function history(ctx: ServiceContext, m: TestMerchant, input: AtobaraiOrderInput, end: "shipped" | "collection") {
    const order = await screened(ctx, m, input);
    expect(order.status).toBe("approved");
    await shipAtobaraiOrder(ctx, { orderId: order.id, trackingNumber: `TRK-${order.id.slice(-8)}` });
    if (end === "collection") await database.db.update(atobaraiOrders).set({ status: "collection", collectionAt: NOW }).where(eq(atobaraiOrders.id, order.id));
    return order;
  }

  it("turns 後払い on with the defaults (once); orders before that are refused; viewers change nothing", async () => {
    const m = await setupTestMerchant(database, { now: NOW });
    const ctx = m.ctx(fixedClock(NOW));
    await expect(registerAtobaraiOrder(ctx, atobaraiOrderInput())).rejects.toMatchObject({ code: "conflict", details: { reason: "atobarai_off" } });
    const viewer = await staffMemberOf(database, m, "viewer", NOW);
    await expect(enableAtobarai(viewer)).rejects.toMatchObject({ code: "forbidden" });
    const operator = await staffMemberOf(database, m, "operator", NOW);
    await expect(enableAtobarai(operator)).rejects.toMatchObject({ code: "forbidden" });
    const first = await enableAtobarai(ctx);
    expect(first.settings.dueDays).toBe(14);
    await updateAtobaraiSettings(ctx, { dueDays: 10 });
    expect((await enableAtobarai(ctx)).settings.dueDays).toBe(10);
    await expect(registerAtobaraiOrder(viewer, atobaraiOrderInput())).rejects.toMatchObject({ code: "forbidden" });
    expect((await registerAtobaraiOrder(operator, atobaraiOrderInput())).status).toBe("registered");
  });

  it("a change of settlement cycle waits for the current period's close; asking for the cycle in force withdraws it", async () => {
    const { owner, m } = await merchant();
    // 2027-06-01 is in June's monthly period: weekly closes start on July 1st.
    const changed = await updateAtobaraiSettings(owner, { settlementCycle: { kind: "weekly", closeWeekday: 5 }, fees: { perOrder: 150, rateBasisPoints: 300 } });
    expect(changed.settings.settlementCycle).toEqual({ kind: "monthly" });
    expect(changed.settings.nextSettlementCycle).toEqual({ kind: "weekly", closeWeekday: 5 });
    expect(changed.nextCycleFrom).toBe("2027-07-01");
    expect(changed.settings.fees).toEqual({ perOrder: 150, rateBasisPoints: 300 });
    const withdrawn = await updateAtobaraiSettings(owner, { settlementCycle: { kind: "monthly" } });
    expect(withdrawn.settings.nextSettlementCycle).toBeNull();
    expect(withdrawn.nextCycleFrom).toBeNull();
    // Bad input changes nothing.
    await expect(updateAtobaraiSettings(owner, { reminderDays: [14, 7] })).rejects.toMatchObject({ code: "invalid" });
    await expect(updateAtobaraiSettings(owner, { collectionAfterDays: 10 })).rejects.toMatchObject({ code: "invalid", details: { param: "collectionAfterDays" } });
    const [row] = await database.db.select().from(atobaraiAccounts).where(eq(atobaraiAccounts.merchantId, m.merchantId));
    expect(row!.settings.reminderDays).toEqual([7, 14]);
    expect(row!.settings.collectionAfterDays).toBe(21);
  });

  it("registers an order with the buyer's keys, refuses bad input and a used order number, writing nothing", async () => {
    const { ctx, m } = await merchant();
    const order = await registerAtobaraiOrder(ctx, atobaraiOrderInput({ orderRef: "A-1", buyer: { phone: "０９０－１２３４－５６７８", email: " Hanako@Example.JP ", postalCode: "〒100-0001" } }));
    expect(order).toMatchObject({ status: "registered", amount: 4_980, postalCode: "1000001", buyerPhoneKey: "09012345678", buyerEmailKey: "hanako@example.jp", source: "console", invoiceDelivery: "mail" });
    await expect(registerAtobaraiOrder(ctx, atobaraiOrderInput({ orderRef: "A-1" }))).rejects.toMatchObject({ code: "conflict", details: { reason: "order_ref_taken" } });
    for (const [bad, param] of [
      [{ buyer: { postalCode: "12345" } }, "buyer.postalCode"],
      [{ buyer: { phone: "12-34" } }, "buyer.phone"],
      [{ buyer: { email: "not-mail" } }, "buyer.email"],
      [{ buyer: { kana: "Yamada" } }, "buyer.kana"],
      [{ items: [] }, "items"],
      [{ amount: 5_000 }, "amount"],
    ] as const) {
      await expect(registerAtobaraiOrder(ctx, atobaraiOrderInput(bad as Partial<AtobaraiOrderInput>))).rejects.toMatchObject({ code: "invalid", details: { param } });
    }
    const rows = await database.db.select().from(atobaraiOrders).where(eq(atobaraiOrders.merchantId, m.merchantId));
    expect(rows).toHaveLength(1);
  });

  it("screens asynchronously: OK, with the owners' mail carrying only the date, result, order, buyer, amount and prefecture", async () => {
    const { ctx, m } = await merchant();
    const order = await registerAtobaraiOrder(ctx, atobaraiOrderInput({ orderRef: "OK-1" }));
    expect(order.status).toBe("registered");
    await screenAll(m);
    const after = await orderRow(order.id);
    expect(after).toMatchObject({ status: "approved", screeningResult: "ok", screeningReasons: [] });
    expect(after.screenedAt).toEqual(NOW);
    const [mail] = await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "atobarai_screening_result")));
    expect(mail!.toAddress).toBe(`owner-${m.merchantId}@staff.test`.toLowerCase());
    expect(mail!.variables).toEqual({ merchant: "テスト商店", footer: "テスト商店", registered_on: "2027年6月1日", screening_result: "OK", order_ref: "OK-1", name: "山田 花子", amount: "¥4,980", prefecture: "東京都", order_url: `http://localhost:3000/console/atobarai/orders/${order.id}` });
    // Screening it again changes nothing and mails nothing more.
    expect(await screenAtobaraiOrder(m.ctx(fixedClock(NOW)), m.merchantId, order.id)).toBeNull();
    expect(await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "atobarai_screening_result")))).toHaveLength(1);
    const events = await database.db.select().from(atobaraiOrderEvents).where(eq(atobaraiOrderEvents.orderId, order.id)).orderBy(asc(atobaraiOrderEvents.at), asc(atobaraiOrderEvents.id));
    expect(events.map((e) => e.kind)).toEqual(["registered", "screen_ok"]);
  });

  it("every rule through the service: amount limit, outstanding across the buyer's keys, defaults, postal code and prefecture, address, duplicates, large amounts", async () => {
    const { ctx, m } = await merchant();
    const reasons = async (input: AtobaraiOrderInput) => {
      const o = await screened(ctx, m, input);
      return { result: o.screeningResult, rules: o.screeningReasons!.map((r) => r.rule), status: o.status };
    };
    expect(await reasons(atobaraiOrderInput({ buyer: { email: "big@example.jp", phone: "0311112222", address: "東京都千代田区千代田9-9" }, items: [{ name: "箪笥", quantity: 1, unitPrice: 55_001 }] }))).toEqual({ result: "ng", rules: ["amount_limit"], status: "rejected" });
    expect(await reasons(atobaraiOrderInput({ buyer: { email: "mid@example.jp", phone: "0311113333", address: "東京都千代田区千代田8-8" }, items: [{ name: "鏡台", quantity: 1, unitPrice: 30_000 }] }))).toEqual({ result: "review", rules: ["review_amount"], status: "in_review" });

    // The same buyer owes ¥25,000 + ¥25,000 + ¥26,000 on three orders found by phone, email and address typed differently.
    const owes = { items: [{ name: "布団", quantity: 1, unitPrice: 25_000 }] };
    await history(ctx, m, atobaraiOrderInput({ ...owes, buyer: { phone: "080-5555-0001", email: "a1@example.jp", address: "東京都千代田区千代田2-2" } }), "shipped");
    await history(ctx, m, atobaraiOrderInput({ ...owes, buyer: { phone: "080-5555-0002", email: "Owner@Example.jp", address: "東京都千代田区千代田3-3" } }), "shipped");
    await history(ctx, m, atobaraiOrderInput({ items: [{ name: "毛布", quantity: 1, unitPrice: 26_000 }], buyer: { phone: "080-5555-0003", email: "a3@example.jp", address: "東京都千代田区千代田４丁目４番" } }), "shipped");
    const same = { phone: "08055550001", email: "OWNER@example.jp", address: "東京都千代田区千代田4-4" };
    expect(await reasons(atobaraiOrderInput({ buyer: same, items: [{ name: "枕", quantity: 1, unitPrice: 24_001 }] }))).toEqual({ result: "ng", rules: ["buyer_outstanding"], status: "rejected" });
    // At the limit (76,000 + 24,000 = 100,000) it passes.
    expect((await reasons(atobaraiOrderInput({ buyer: same, items: [{ name: "枕", quantity: 1, unitPrice: 24_000 }] }))).result).toBe("ok");

    // One default → 保留; two → NG.
    const defaulter = { phone: "070-7777-0001", email: "late@example.jp", address: "東京都千代田区千代田5-5" };
    await history(ctx, m, atobaraiOrderInput({ buyer: defaulter, items: [{ name: "茶碗", quantity: 1, unitPrice: 1_000 }] }), "collection");
    expect(await reasons(atobaraiOrderInput({ buyer: defaulter, items: [{ name: "湯呑", quantity: 1, unitPrice: 1_100 }] }))).toMatchObject({ result: "review", rules: ["previous_default"] });
    // The buyer's next order is itself held for the one default: staff approve it, it ships, it goes to collection too.
    const pending = await screened(ctx, m, atobaraiOrderInput({ buyer: { ...defaulter, phone: "070-7777-0002" }, items: [{ name: "急須", quantity: 1, unitPrice: 1_200 }] }));
    expect(pending.status).toBe("in_review");
    await decideAtobaraiReview(ctx, { orderId: pending.id, decision: "approve", note: "電話で本人確認済み" });
    await shipAtobaraiOrder(ctx, { orderId: pending.id, trackingNumber: "TRK-DEFAULT-2" });
    await database.db.update(atobaraiOrders).set({ status: "collection", collectionAt: NOW }).where(eq(atobaraiOrders.id, pending.id));
    expect(await reasons(atobaraiOrderInput({ buyer: { ...defaulter, email: "LATE@example.jp" }, items: [{ name: "皿", quantity: 1, unitPrice: 1_300 }] }))).toMatchObject({ result: "ng", rules: ["repeat_defaulter"] });

    // Addresses that may be mistyped.
    const fresh = (n: number) => ({ phone: `0312340${String(n).padStart(3, "0")}`, email: `addr${n}@example.jp` });
    expect((await reasons(atobaraiOrderInput({ buyer: { ...fresh(1), postalCode: "000-0000", address: "東京都千代田区千代田1-1" } }))).rules).toEqual(["postal_code_unknown"]);
    expect((await reasons(atobaraiOrderInput({ buyer: { ...fresh(2), address: "大阪府大阪市北区梅田1-1" } }))).rules).toEqual(["postal_prefecture_mismatch"]);
    expect((await reasons(atobaraiOrderInput({ buyer: { ...fresh(3), address: "千代田区千代田1-3" } }))).rules).toEqual(["address_incomplete"]);
    expect((await reasons(atobaraiOrderInput({ buyer: { ...fresh(4), address: "東京都千代田区千代田" } }))).rules).toEqual(["address_incomplete"]);

    // The same buyer and amount twice within 24 hours: the second is held; a different amount is not.
    const twice = { phone: "0600000001", email: "twice@example.jp", address: "東京都千代田区千代田6-6" };
    expect((await reasons(atobaraiOrderInput({ buyer: twice }))).result).toBe("ok");
    expect(await reasons(atobaraiOrderInput({ buyer: { ...twice, phone: "06-0000-0001" } }))).toMatchObject({ result: "review", rules: ["duplicate_order"] });
    expect((await reasons(atobaraiOrderInput({ buyer: twice, items: [{ name: "別の品", quantity: 1, unitPrice: 700 }] }))).result).toBe("ok");
  });

  it("a 保留 order waits for staff: approved or rejected with a note; a viewer cannot decide; NG cannot ship", async () => {
    const { ctx, m, owner } = await merchant();
    const held = await screened(ctx, m, atobaraiOrderInput({ buyer: { address: "東京都千代田区千代田" } }));
    expect(held.status).toBe("in_review");
    await expect(shipAtobaraiOrder(ctx, { orderId: held.id, trackingNumber: "1234-5678" })).rejects.toMatchObject({ code: "conflict" });
    const viewer = await staffMemberOf(database, m, "viewer", NOW);
    await expect(decideAtobaraiReview(viewer, { orderId: held.id, decision: "approve", note: "ok" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(decideAtobaraiReview(owner, { orderId: held.id, decision: "approve", note: " " })).rejects.toMatchObject({ code: "invalid", details: { param: "note" } });
    const approved = await decideAtobaraiReview(owner, { orderId: held.id, decision: "approve", note: "番地は電話で確認" });
    expect(approved).toMatchObject({ status: "approved", reviewNote: "番地は電話で確認", reviewedBy: (owner.actor as { id: string }).id });
    await expect(decideAtobaraiReview(owner, { orderId: held.id, decision: "reject", note: "x" })).rejects.toMatchObject({ code: "conflict" });

    const ng = await screened(ctx, m, atobaraiOrderInput({ buyer: { email: "ng@example.jp", phone: "0399990000", address: "東京都千代田区千代田7-7" }, items: [{ name: "大物", quantity: 1, unitPrice: 60_000 }] }));
    expect(ng.status).toBe("rejected");
    await expect(shipAtobaraiOrder(ctx, { orderId: ng.id, trackingNumber: "1234-5678" })).rejects.toMatchObject({ code: "conflict", details: { reason: "order_rejected" } });
    const rejectedHeld = await screened(ctx, m, atobaraiOrderInput({ buyer: { email: "r@example.jp", phone: "0399990001", address: "千代田区" } }));
    expect((await decideAtobaraiReview(owner, { orderId: rejectedHeld.id, decision: "reject", note: "住所不備" })).status).toBe("rejected");
  });

  it("shipping issues the invoice: due date, payment number and bank reference with check digits, the invoice mailed to the buyer today", async () => {
    const { ctx, m } = await merchant();
    const order = await screened(ctx, m, atobaraiOrderInput({ orderRef: "SHIP-1" }));
    const shipped = await shipAtobaraiOrder(ctx, { orderId: order.id, trackingNumber: " １２３４－５６７８－９０１２ ", carrier: "ヤマト運輸" });
    expect(shipped).toMatchObject({ status: "shipped", trackingNumber: "1234-5678-9012", carrier: "ヤマト運輸", dueOn: "2027-06-15", invoiceDelivery: "mail" });
    expect(shipped.invoiceIssuedAt).toEqual(NOW);
    expect(shipped.paymentNumber).toMatch(/^[1-9]\d{12}$/);
    expect(shipped.bankReference).toMatch(/^[1-9]\d{9}$/);
    expect(hasValidCheckDigit(shipped.paymentNumber!) && hasValidCheckDigit(shipped.bankReference!)).toBe(true);
    const [mail] = await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "atobarai_invoice")));
    expect(mail).toMatchObject({ toAddress: "hanako@example.jp", locale: "ja", links: { atobarai_invoice: order.id }, queuedAt: NOW });
    // The PDF goes attached (rendered by the delivery worker when it sends the mail), the link kept as a fallback.
    expect(mail!.attachments).toEqual([{ kind: "atobarai_invoice", orderId: order.id, filename: "請求書_SHIP-1.pdf" }]);
    expect(mail!.variables).toMatchObject({ name: "山田 花子", order_ref: "SHIP-1", amount: "¥4,980", due_date: "2027年6月15日", payment_number: shipped.paymentNumber, bank_reference: shipped.bankReference });
    // The mail's link opens this order's invoice only; the PDF carries the buyer, the amount, the due date and the numbers.
    const { invoice_url } = await mailLinkVariables(TEST_LINKS, m.merchantId, mail!.links, NOW);
    const token = invoice_url!.split("/b/")[1]!;
    expect(await verifyLinkToken(TEST_LINKS.secret, "atobarai_invoice", token, NOW)).toMatchObject({ ok: true, subject: order.id, merchantId: m.merchantId });
    expect(await verifyLinkToken(TEST_LINKS.secret, "receipt", token, NOW)).toMatchObject({ ok: false, reason: "wrong_purpose" });
    const view = await getAtobaraiInvoiceView(ctx, order.id);
    expect(view).toMatchObject({ orderRef: "SHIP-1", amount: 4_980, issuedOn: "2027-06-01", dueOn: "2027-06-15", paymentNumber: shipped.paymentNumber, bankReference: shipped.bankReference, buyer: { name: "山田 花子", postalCode: "1000001" } });
    const pdf = await atobaraiInvoicePdf(view!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toMatch(/FontFile2/);
    expect(pdf.toString("latin1")).toMatch(/NotoSansJP/);
    // The same invoice renders to the same bytes (the mail's attachment sent again after a crash is the same request).
    expect((await atobaraiInvoicePdf((await getAtobaraiInvoiceView(ctx, order.id))!)).equals(pdf)).toBe(true);
    expect(await getAtobaraiInvoiceView(ctx, (await registerAtobaraiOrder(ctx, atobaraiOrderInput())).id)).toBeNull();
    await expect(shipAtobaraiOrder(ctx, { orderId: order.id, trackingNumber: "9999-0000" })).rejects.toMatchObject({ code: "conflict", details: { reason: "order_shipped" } });
    await expect(shipAtobaraiOrder(ctx, { orderId: order.id, trackingNumber: "番号" })).rejects.toMatchObject({ code: "invalid", details: { param: "trackingNumber" } });

    // 同梱: no mail, the invoice goes in the parcel.
    const enclosed = await screened(ctx, m, atobaraiOrderInput({ orderRef: "SHIP-2", invoiceDelivery: "enclosed", buyer: { email: "enc@example.jp", phone: "0311110000", address: "東京都千代田区千代田1-2" } }));
    const encShipped = await shipAtobaraiOrder(ctx, { orderId: enclosed.id, trackingNumber: "5555-6666" });
    expect(encShipped.invoiceDelivery).toBe("enclosed");
    expect(await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "atobarai_invoice")))).toHaveLength(1);
    expect(encShipped.paymentNumber).not.toBe(shipped.paymentNumber);
  });

  it("cancel only before the invoice, return only after it", async () => {
    const { ctx, m } = await merchant();
    const a = await registerAtobaraiOrder(ctx, atobaraiOrderInput());
    await expect(returnAtobaraiOrder(ctx, { orderId: a.id })).rejects.toMatchObject({ code: "conflict", details: { reason: "no_invoice" } });
    expect(await cancelAtobaraiOrder(ctx, { orderId: a.id, reason: "お客様都合" })).toMatchObject({ status: "canceled", canceledAt: NOW });
    // A canceled order is not screened.
    expect(await screenAtobaraiOrder(m.ctx(fixedClock(NOW)), m.merchantId, a.id)).toBeNull();
    expect((await orderRow(a.id)).status).toBe("canceled");
    const b = await screened(ctx, m, atobaraiOrderInput({ buyer: { email: "b@example.jp", phone: "0322223333", address: "東京都千代田区千代田1-9" } }));
    await shipAtobaraiOrder(ctx, { orderId: b.id, trackingNumber: "7777-8888" });
    await expect(cancelAtobaraiOrder(ctx, { orderId: b.id })).rejects.toMatchObject({ code: "conflict", details: { reason: "invoice_issued" } });
    expect(await returnAtobaraiOrder(ctx, { orderId: b.id, reason: "返品" })).toMatchObject({ status: "returned", returnedAt: NOW });
    await expect(returnAtobaraiOrder(ctx, { orderId: b.id })).rejects.toMatchObject({ code: "conflict" });
    await expect(cancelAtobaraiOrder(ctx, { orderId: "abo_unknown" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("後払い orders registered at the same moment", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it("one order number twice at once: one registered, the other a conflict", async () => {
    const m = await setupTestMerchant(database, { now: NOW });
    const ctx = m.ctx(fixedClock(NOW));
    await enableAtobarai(ctx);
    const input = atobaraiOrderInput({ orderRef: "RACE-1" });
    const results = await Promise.allSettled([registerAtobaraiOrder(ctx, input), registerAtobaraiOrder(ctx, input)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict", details: { reason: "order_ref_taken" } } });
    expect(await database.db.select().from(atobaraiOrders).where(eq(atobaraiOrders.merchantId, m.merchantId))).toHaveLength(1);
  });
});
