import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { atobaraiOrders, atobaraiRefunds } from "@/db/schema";
import { ATOBARAI_REFUND_METHODS, checkRefund } from "@/lib/billing/atobarai/order-state";
import { formatMoney } from "@/lib/billing/money";
import { newId } from "@/lib/ids";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, invalid, notFound, parseInput } from "./errors";
import { actorLabel, type AtobaraiOrderRow, lockAtobaraiOrder, recordOrderEvent } from "./internal/atobarai-orders";
import { recordAudit } from "./internal/audit";

export type AtobaraiRefundRow = typeof atobaraiRefunds.$inferSelect;
export type RefundOutcome = { outcome: "recorded" | "duplicate"; refund: AtobaraiRefundRow; order: AtobaraiOrderRow };

export const atobaraiRefundInput = z.object({
  orderId: z.string().trim().min(1).max(64),
  /** Yen paid back: never more than the order owes back. */
  amount: z.number().int().min(1).max(100_000_000),
  method: z.enum(ATOBARAI_REFUND_METHODS),
  /** The transfer's reference, or how the money went back. */
  note: z.string().trim().max(500).nullish(),
  /** When the buyer was paid back; now when absent. */
  refundedAt: z.coerce.date().nullish(),
  /** Makes recording safe to repeat: the console dialog's own id, or the API's Idempotency-Key. */
  requestKey: z.string().trim().min(1).max(200).nullish(),
});

/**
 * Records money staff paid back to a buyer (返金) on an order that owes some back: what was paid beyond the amount,
 * or everything kept after a return. The order is locked, so two refunds at once cannot together pay back more than
 * is owed; one beyond what is owed is refused and changes nothing. The same request key again records nothing more
 * (`duplicate`, with the refund recorded the first time).
 */
export async function recordAtobaraiRefund(ctx: ServiceContext, input: z.input<typeof atobaraiRefundInput>): Promise<RefundOutcome> {
  const data = parseInput(atobaraiRefundInput, input);
  authorize(ctx.actor, "atobarai.operate");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, ctx.merchantId, data.orderId);
    if (data.requestKey) {
      const [again] = await tx
        .select()
        .from(atobaraiRefunds)
        .where(and(eq(atobaraiRefunds.merchantId, ctx.merchantId), eq(atobaraiRefunds.requestKey, data.requestKey)));
      if (again) {
        if (again.orderId !== order.id) throw conflict("This request key was used for a refund on another order", "request_key_reused");
        return { outcome: "duplicate" as const, refund: again, order };
      }
    }
    const check = checkRefund(order, data.amount);
    if (!check.ok) {
      if (check.reason === "no_refund_owed") throw conflict(`Nothing is owed back to the buyer of order ${order.orderRef}`, "no_refund_owed");
      throw invalid(`At most ${formatMoney({ amount: check.owed, currency: order.currency })} is owed back on order ${order.orderRef}`, "amount", check.reason);
    }
    const [refund] = await tx
      .insert(atobaraiRefunds)
      .values({
        id: newId("abr"),
        merchantId: ctx.merchantId,
        orderId: order.id,
        amount: data.amount,
        method: data.method,
        note: data.note || null,
        refundedAt: data.refundedAt ?? now,
        recordedBy: actorLabel(ctx.actor),
        requestKey: data.requestKey ?? null,
        createdAt: now,
      })
      .returning();
    const amountRefunded = order.amountRefunded + data.amount;
    const [updated] = (await tx.update(atobaraiOrders).set({ amountRefunded, updatedAt: now }).where(eq(atobaraiOrders.id, order.id)).returning()) as [AtobaraiOrderRow];
    const event = { refund: refund!.id, amount: data.amount, method: data.method, note: data.note || null, amountRefunded, refundOwed: check.owedAfter };
    await recordOrderEvent(tx, order, { kind: "refund", data: event, actor: ctx.actor, at: now });
    await recordAudit(tx, ctx, { action: "atobarai_order.refund_recorded", targetType: "atobarai_order", targetId: order.id, data: event, at: now });
    return { outcome: "recorded" as const, refund: refund!, order: updated };
  });
}

/** An order's refunds, oldest first, for its page and the API. */
export async function atobaraiOrderRefunds(ctx: Pick<ServiceContext, "db" | "merchantId">, orderId: string): Promise<AtobaraiRefundRow[]> {
  const [order] = await ctx.db.select({ id: atobaraiOrders.id }).from(atobaraiOrders).where(and(eq(atobaraiOrders.merchantId, ctx.merchantId), eq(atobaraiOrders.id, orderId)));
  if (!order) throw notFound("order", orderId, "order");
  return ctx.db.select().from(atobaraiRefunds).where(and(eq(atobaraiRefunds.merchantId, ctx.merchantId), eq(atobaraiRefunds.orderId, orderId))).orderBy(asc(atobaraiRefunds.refundedAt), asc(atobaraiRefunds.id));
}

