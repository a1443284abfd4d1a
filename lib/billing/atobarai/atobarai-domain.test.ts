import { describe, expect, it } from "vitest";
import { lookupPostalCode } from "@/lib/address/postal-code-lookup";
import { parseLocalDate } from "@/lib/billing/calendar";
import { buyerKeys, normalizeAddress, normalizeEmail, normalizePhone } from "./buyer-identity";
import { collectionSchedule, dueDateOf, nextCollectionStepOn } from "./collection";
import { type ScreeningFacts, screenOrder } from "./screening";
import { nextSettlementPeriod, settlementPeriodOf } from "./settlement-period";
import { DEFAULT_ATOBARAI_SETTINGS, orderFee } from "./settings";

const rules = DEFAULT_ATOBARAI_SETTINGS.screening;
const prefecturesOf = (postalCode: string) => {
  const found = lookupPostalCode(postalCode);
  return found.ok ? [...new Set(found.candidates.map((c) => c.prefecture))] : [];
};
const facts = (over: Partial<ScreeningFacts> = {}): ScreeningFacts => ({
  amount: 4_980,
  buyerOutstanding: 0,
  buyerDefaults: 0,
  postalCode: "1000001",
  postalPrefectures: prefecturesOf("1000001"),
  address: "東京都千代田区千代田1-1",
  duplicates: 0,
  ...over,
});

describe("the same buyer, however typed", () => {
  it.each([
    ["090-1234-5678", "09012345678"],
    ["０９０－１２３４－５６７８", "09012345678"],
    ["+81 90 1234 5678", "09012345678"],
    ["(03) 1234-5678", "0312345678"],
    ["090ー1234ー5678", "09012345678"],
  ])("phone %s is %s", (input, key) => expect(normalizePhone(input)).toBe(key));
  it.each(["", "12345", "090-1234-56789", "abc"])("%j is no phone", (input) => expect(normalizePhone(input)).toBeNull());
  it("emails and addresses", () => {
    expect(normalizeEmail(" Hanako.Yamada@Example.JP ")).toBe("hanako.yamada@example.jp");
    expect(normalizeEmail("ｈａｎａｋｏ＠example.jp")).toBe("hanako@example.jp");
    expect(normalizeEmail("not-an-email")).toBeNull();
    const a = normalizeAddress("1000001", "東京都千代田区千代田１丁目１番１号");
    expect(a).toBe(normalizeAddress("1000001", "東京都千代田区千代田1-1-1"));
    expect(a).toBe(normalizeAddress("1000001", "東京都 千代田区 千代田 1‐1‐1"));
    expect(a).not.toBe(normalizeAddress("1000001", "東京都千代田区千代田1-1-2"));
    expect(buyerKeys({ phone: "090-1234-5678", email: "A@B.jp", postalCode: "1000001", address: "東京都千代田区千代田1-1" })).toEqual({ phone: "09012345678", email: "a@b.jp", address: "1000001|東京都千代田区千代田1-1" });
  });
});

describe("screening (与信)", () => {
  it("passes an ordinary order", () => {
    expect(screenOrder(facts(), rules)).toEqual({ result: "ok", reasons: [] });
  });

  it("refuses an order above the per-order limit, at the limit it passes", () => {
    expect(screenOrder(facts({ amount: 55_001 }), rules)).toMatchObject({ result: "ng", reasons: [{ rule: "amount_limit", amount: 55_001, limit: 55_000 }] });
    expect(screenOrder(facts({ amount: 55_000 }), rules).reasons.map((r) => r.rule)).toEqual(["review_amount"]);
  });

  it("refuses a buyer who would owe more than the limit with this order", () => {
    expect(screenOrder(facts({ amount: 10_000, buyerOutstanding: 90_001 }), rules)).toMatchObject({ result: "ng", reasons: [{ rule: "buyer_outstanding", outstanding: 90_001 }] });
    expect(screenOrder(facts({ amount: 10_000, buyerOutstanding: 90_000 }), rules).result).toBe("ok");
  });

  it("refuses a repeat defaulter and sends a buyer who defaulted once to staff", () => {
    expect(screenOrder(facts({ buyerDefaults: 2 }), rules)).toMatchObject({ result: "ng", reasons: [{ rule: "repeat_defaulter", defaults: 2 }] });
    expect(screenOrder(facts({ buyerDefaults: 1 }), rules)).toMatchObject({ result: "review", reasons: [{ rule: "previous_default", defaults: 1 }] });
  });

  it("sends addresses that may be mistyped to staff: unknown postal code, prefecture not the postal code's, no prefecture, no number", () => {
    expect(screenOrder(facts({ postalCode: "0000000", postalPrefectures: prefecturesOf("0000000") }), rules)).toMatchObject({ result: "review", reasons: [{ rule: "postal_code_unknown" }] });
    expect(screenOrder(facts({ address: "大阪府大阪市北区梅田1-1" }), rules)).toMatchObject({
      result: "review",
      reasons: [{ rule: "postal_prefecture_mismatch", prefecture: "大阪府", postalPrefectures: ["東京都"] }],
    });
    expect(screenOrder(facts({ address: "千代田区千代田1-1" }), rules)).toMatchObject({ result: "review", reasons: [{ rule: "address_incomplete", missing: "prefecture" }] });
    expect(screenOrder(facts({ address: "東京都千代田区千代田" }), rules)).toMatchObject({ result: "review", reasons: [{ rule: "address_incomplete", missing: "number" }] });
    expect(screenOrder(facts({ address: "東京都千代田区千代田一丁目" }), rules).result).toBe("ok");
    expect(screenOrder(facts({ address: "東京都千代田区千代田１－１" }), rules).result).toBe("ok");
  });

  it("sends duplicates and large orders to staff; NG wins over 保留 and every reason is kept", () => {
    expect(screenOrder(facts({ duplicates: 1 }), rules)).toMatchObject({ result: "review", reasons: [{ rule: "duplicate_order", duplicates: 1 }] });
    expect(screenOrder(facts({ amount: 30_000 }), rules)).toMatchObject({ result: "review", reasons: [{ rule: "review_amount", threshold: 30_000 }] });
    expect(screenOrder(facts({ amount: 29_999 }), rules).result).toBe("ok");
    expect(screenOrder(facts({ amount: 30_000 }), { ...rules, reviewAbove: null }).result).toBe("ok");
    const both = screenOrder(facts({ amount: 60_000, duplicates: 1, buyerDefaults: 3 }), rules);
    expect(both.result).toBe("ng");
    expect(both.reasons.map((r) => r.rule)).toEqual(["amount_limit", "repeat_defaulter", "duplicate_order"]);
  });
});

describe("due date, reminders and collection", () => {
  const settings = DEFAULT_ATOBARAI_SETTINGS;
  it("due 14 days after the invoice; reminded +7 and +14 days after it, collection at +21", () => {
    const due = dueDateOf(parseLocalDate("2027-01-25"), settings);
    expect(due.toString()).toBe("2027-02-08");
    expect(collectionSchedule(due, settings).map((s) => [s.kind, s.on.toString()])).toEqual([
      ["reminder", "2027-02-15"],
      ["reminder", "2027-02-22"],
      ["collection", "2027-03-01"],
    ]);
  });
  it("drops reminders that would come after collection", () => {
    const steps = collectionSchedule(parseLocalDate("2027-01-31"), { reminderDays: [7, 30], collectionAfterDays: 14 });
    expect(steps.map((s) => [s.kind, s.on.toString()])).toEqual([
      ["reminder", "2027-02-07"],
      ["collection", "2027-02-14"],
    ]);
  });
  it("the next step's day follows the reminders sent: each reminder in turn, then collection", () => {
    const next = (remindersSent: number) => nextCollectionStepOn({ dueOn: "2027-02-08", remindersSent }, settings).toString();
    expect([0, 1, 2].map(next)).toEqual(["2027-02-15", "2027-02-22", "2027-03-01"]);
  });
});

describe("settlement periods and fees", () => {
  it("monthly: the calendar month, February included", () => {
    const p = settlementPeriodOf(parseLocalDate("2028-02-15"), { kind: "monthly" });
    expect([p.start.toString(), p.end.toString()]).toEqual(["2028-02-01", "2028-02-29"]);
  });
  it("weekly: the seven days ending on the close weekday (the date itself when it is that day)", () => {
    // 2027-01-15 is a Friday (5).
    const p = settlementPeriodOf(parseLocalDate("2027-01-13"), { kind: "weekly", closeWeekday: 5 });
    expect([p.start.toString(), p.end.toString()]).toEqual(["2027-01-09", "2027-01-15"]);
    const onClose = settlementPeriodOf(parseLocalDate("2027-01-15"), { kind: "weekly", closeWeekday: 5 });
    expect(onClose.end.toString()).toBe("2027-01-15");
  });
  it("a change from weekly to monthly starts after the week closes (seed 003's FAQ)", () => {
    const week = settlementPeriodOf(parseLocalDate("2027-01-13"), { kind: "weekly", closeWeekday: 5 });
    const next = nextSettlementPeriod(week, { kind: "monthly" });
    expect([next.start.toString(), next.end.toString()]).toEqual(["2027-01-16", "2027-01-31"]);
    const after = nextSettlementPeriod(next, { kind: "monthly" });
    expect([after.start.toString(), after.end.toString()]).toEqual(["2027-02-01", "2027-02-28"]);
  });
  it("the fee: per order plus the rate, the rate rounded down to the yen", () => {
    expect(orderFee(4_980, { perOrder: 190, rateBasisPoints: 290 })).toBe(190 + 144);
    expect(orderFee(1, { perOrder: 0, rateBasisPoints: 290 })).toBe(0);
  });
});

describe("order states", () => {
  it("only OK orders ship; cancel before the invoice, return after; payments close shipped or collected orders", async () => {
    const { nextOrderStatus, orderBalance } = await import("./order-state");
    expect(nextOrderStatus("approved", "ship")).toBe("shipped");
    expect(nextOrderStatus("in_review", "ship")).toBeNull();
    expect(nextOrderStatus("rejected", "ship")).toBeNull();
    expect(nextOrderStatus("approved", "cancel")).toBe("canceled");
    expect(nextOrderStatus("shipped", "cancel")).toBeNull();
    expect(nextOrderStatus("shipped", "return")).toBe("returned");
    expect(nextOrderStatus("approved", "return")).toBeNull();
    expect(nextOrderStatus("collection", "pay")).toBe("paid");
    expect(nextOrderStatus("registered", "pay")).toBeNull();
    expect(nextOrderStatus("in_review", "approve")).toBe("approved");
    expect(nextOrderStatus("approved", "approve")).toBeNull();
    const money = { status: "shipped" as const, amount: 5_000, amountRefunded: 0 };
    expect(orderBalance({ ...money, amountPaid: 3_000 })).toBe(2_000);
    expect(orderBalance({ ...money, amountPaid: 5_500 })).toBe(-500);
  });
});

describe("money owed back (返金が必要)", () => {
  it("is what was paid beyond the amount, less what was paid back, never negative", async () => {
    const { orderBalance, refundOwed } = await import("./order-state");
    const paid = { status: "paid" as const, amount: 12_800, amountPaid: 14_300, amountRefunded: 0 };
    expect(refundOwed(paid)).toBe(1_500);
    expect(refundOwed({ ...paid, amountRefunded: 1_000 })).toBe(500);
    expect(refundOwed({ ...paid, amountRefunded: 1_500 })).toBe(0);
    expect(orderBalance({ ...paid, amountRefunded: 1_500 })).toBe(0);
    // Under-paid or unpaid: nothing is owed back, whatever the balance.
    expect(refundOwed({ status: "shipped", amount: 12_800, amountPaid: 2_800, amountRefunded: 0 })).toBe(0);
    expect(refundOwed({ status: "shipped", amount: 12_800, amountPaid: 0, amountRefunded: 0 })).toBe(0);
  });

  it("a return after payment owes back everything kept; a return before it owes nothing either way", async () => {
    const { orderBalance, refundOwed } = await import("./order-state");
    expect(refundOwed({ status: "returned", amount: 5_500, amountPaid: 5_500, amountRefunded: 0 })).toBe(5_500);
    expect(refundOwed({ status: "returned", amount: 5_500, amountPaid: 2_000, amountRefunded: 500 })).toBe(1_500);
    expect(refundOwed({ status: "returned", amount: 5_500, amountPaid: 0, amountRefunded: 0 })).toBe(0);
    expect(orderBalance({ status: "returned", amount: 5_500, amountPaid: 0, amountRefunded: 0 })).toBe(0);
    expect(orderBalance({ status: "canceled", amount: 5_500, amountPaid: 0, amountRefunded: 0 })).toBe(0);
  });

  it("a refund is a whole number of yen, at least 1, never more than is owed", async () => {
    const { checkRefund } = await import("./order-state");
    const over = { status: "paid" as const, amount: 5_000, amountPaid: 6_200, amountRefunded: 200 };
    expect(checkRefund(over, 1_000)).toEqual({ ok: true, owedAfter: 0 });
    expect(checkRefund(over, 400)).toEqual({ ok: true, owedAfter: 600 });
    expect(checkRefund(over, 1_001)).toEqual({ ok: false, reason: "refund_exceeds_owed", owed: 1_000 });
    expect(checkRefund(over, 0)).toMatchObject({ ok: false, reason: "amount_invalid" });
    expect(checkRefund(over, -5)).toMatchObject({ ok: false, reason: "amount_invalid" });
    expect(checkRefund(over, 10.5)).toMatchObject({ ok: false, reason: "amount_invalid" });
    expect(checkRefund({ ...over, amountRefunded: 1_200 }, 1)).toEqual({ ok: false, reason: "no_refund_owed", owed: 0 });
    expect(checkRefund({ status: "shipped", amount: 5_000, amountPaid: 1_000, amountRefunded: 0 }, 1)).toMatchObject({ ok: false, reason: "no_refund_owed" });
  });
});
