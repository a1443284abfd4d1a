/**
 * registered: waiting for screening; approved (OK), rejected (NG), in_review (保留: staff decide); shipped: the
 * tracking number is in and the invoice issued; paid: paid in full; collection: handed to collection (要回収) after
 * the reminders; canceled: before the invoice; returned: after it.
 */
export type AtobaraiOrderStatus = "registered" | "approved" | "rejected" | "in_review" | "shipped" | "paid" | "collection" | "canceled" | "returned";

/** What can happen to a 後払い order, and from where (seed 003: only OK orders ship; cancel before the invoice, return after). */
export type OrderTransition = "screen_ok" | "screen_ng" | "screen_review" | "approve" | "reject" | "ship" | "pay" | "to_collection" | "cancel" | "return";

const FROM: Record<OrderTransition, readonly AtobaraiOrderStatus[]> = {
  screen_ok: ["registered"],
  screen_ng: ["registered"],
  screen_review: ["registered"],
  approve: ["in_review"],
  reject: ["in_review"],
  ship: ["approved"],
  pay: ["shipped", "collection"],
  to_collection: ["shipped"],
  cancel: ["registered", "approved", "rejected", "in_review"],
  return: ["shipped", "paid", "collection"],
};

const TO: Record<OrderTransition, AtobaraiOrderStatus> = {
  screen_ok: "approved",
  screen_ng: "rejected",
  screen_review: "in_review",
  approve: "approved",
  reject: "rejected",
  ship: "shipped",
  pay: "paid",
  to_collection: "collection",
  cancel: "canceled",
  return: "returned",
};

/** The status an order moves to, or null when the transition is not allowed from where it is. */
export function nextOrderStatus(from: AtobaraiOrderStatus, transition: OrderTransition): AtobaraiOrderStatus | null {
  return FROM[transition].includes(from) ? TO[transition] : null;
}

/** What the buyer owes for the goods: the amount, or nothing once the order is canceled or the goods came back (returned). */
export function amountDue(order: { status: AtobaraiOrderStatus; amount: number }): number {
  return order.status === "returned" || order.status === "canceled" ? 0 : order.amount;
}

/** An order's money: what it is for, what the buyer paid, and what was paid back to them. */
type OrderMoney = { status: AtobaraiOrderStatus; amount: number; amountPaid: number; amountRefunded: number };

/**
 * What is left to pay (positive) or owed back to the buyer (negative): what is due less what the buyer paid and was
 * not given back. A return after payment owes everything kept back (seed 003: the merchant pays the buyer back by
 * transfer).
 */
export function orderBalance(order: OrderMoney): number {
  return amountDue(order) - (order.amountPaid - order.amountRefunded);
}

/** 返金が必要: what is owed back to the buyer — paid − due − refunded, never negative. */
export function refundOwed(order: OrderMoney): number {
  return Math.max(0, -orderBalance(order));
}

export const ATOBARAI_REFUND_METHODS = ["bank_transfer", "cash", "other"] as const;
/** How staff paid a buyer back: a bank transfer (the usual way), cash, or otherwise (the note says how). */
export type AtobaraiRefundMethod = (typeof ATOBARAI_REFUND_METHODS)[number];

export type RefundCheck = { ok: true; owedAfter: number } | { ok: false; reason: "amount_invalid" | "no_refund_owed" | "refund_exceeds_owed"; owed: number };

/** Whether `amount` yen may be recorded as paid back: a whole number of yen, at least 1, never more than is owed. */
export function checkRefund(order: OrderMoney, amount: number): RefundCheck {
  const owed = refundOwed(order);
  if (!Number.isSafeInteger(amount) || amount < 1) return { ok: false, reason: "amount_invalid", owed };
  if (owed === 0) return { ok: false, reason: "no_refund_owed", owed };
  if (amount > owed) return { ok: false, reason: "refund_exceeds_owed", owed };
  return { ok: true, owedAfter: owed - amount };
}
