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

/** What is left to pay (positive) or owed back to the buyer (negative) after what they paid. */
export function orderBalance(order: { amount: number; amountPaid: number }): number {
  return order.amount - order.amountPaid;
}
