import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { atobaraiOrders, testClocks } from "@/db/schema";
import { buyerKeys } from "@/lib/billing/atobarai/buyer-identity";
import { newId } from "@/lib/ids";
import { atobaraiAccountOf } from "./atobarai-settings";
import { atobaraiOrderInput, type AtobaraiOrderData, type AtobaraiOrderInput } from "./atobarai-order-input";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { conflict, notFound, parseInput } from "./errors";
import { customerNow } from "./internal/contract";
import { recordAudit } from "./internal/audit";
import { recordOrderEvent } from "./internal/atobarai-orders";

export type AtobaraiOrderSource = "console" | "csv" | "api";

/** The merchant's order numbers among these that are taken already. */
export async function takenOrderRefs(tx: Db, merchantId: string, refs: readonly string[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const rows = await tx.select({ ref: atobaraiOrders.orderRef }).from(atobaraiOrders).where(and(eq(atobaraiOrders.merchantId, merchantId), inArray(atobaraiOrders.orderRef, [...refs])));
  return new Set(rows.map((r) => r.ref));
}

/**
 * Writes checked orders as `registered` (the screening worker takes them from there), with the buyer's normalised
 * keys, a timeline entry and an audit row each. The caller has checked that no order number is taken.
 */
export async function insertAtobaraiOrders(tx: Db, ctx: ServiceContext, orders: readonly AtobaraiOrderData[], source: AtobaraiOrderSource, now: Date) {
  if (orders.length === 0) return [];
  const account = await atobaraiAccountOf(tx, ctx.merchantId);
  // An order number registered meanwhile by another request (after the caller's check) refuses the whole batch.
  const rows = await tx
    .insert(atobaraiOrders)
    .values(
      orders.map((o) => {
        const keys = buyerKeys(o.buyer);
        return {
          id: newId("abo"),
          merchantId: ctx.merchantId,
          orderRef: o.orderRef,
          buyerName: o.buyer.name,
          buyerKana: o.buyer.kana,
          buyerEmail: o.buyer.email,
          buyerPhone: o.buyer.phone,
          postalCode: o.buyer.postalCode,
          address: o.buyer.address,
          shipping: o.shipping ? { name: o.shipping.name, kana: o.shipping.kana ?? null, phone: o.shipping.phone ?? null, postalCode: o.shipping.postalCode, address: o.shipping.address } : null,
          items: o.items,
          amount: o.amount,
          buyerPhoneKey: keys.phone,
          buyerEmailKey: keys.email,
          buyerAddressKey: keys.address,
          source,
          invoiceDelivery: o.invoiceDelivery ?? account.settings.invoiceDelivery,
          testClockId: o.testClockId ?? null,
          createdAt: now,
          updatedAt: now,
        };
      }),
    )
    .onConflictDoNothing({ target: [atobaraiOrders.merchantId, atobaraiOrders.orderRef] })
    .returning();
  if (rows.length < orders.length) throw conflict("An order number was registered meanwhile by another request", "order_ref_taken");
  for (const row of rows) {
    await recordOrderEvent(tx, row, { kind: "registered", data: { source, amount: row.amount }, actor: ctx.actor, at: now });
    await recordAudit(tx, ctx, { action: "atobarai_order.registered", targetType: "atobarai_order", targetId: row.id, data: { orderRef: row.orderRef, amount: row.amount, source }, at: now });
  }
  return rows;
}

/** Registers one order for screening (与信), from the console form or the API; an order number used before is a conflict. */
export async function registerAtobaraiOrder(ctx: ServiceContext, input: AtobaraiOrderInput, source: Exclude<AtobaraiOrderSource, "csv"> = "console") {
  const data = parseInput(atobaraiOrderInput, input);
  authorize(ctx.actor, "atobarai.operate");
  return ctx.db.transaction(async (tx) => {
    if ((await takenOrderRefs(tx, ctx.merchantId, [data.orderRef])).size > 0) throw conflict(`Order number ${data.orderRef} is registered already`, "order_ref_taken");
    if (data.testClockId) {
      const [clock] = await tx.select({ deleted: testClocks.deleted }).from(testClocks).where(and(eq(testClocks.id, data.testClockId), eq(testClocks.merchantId, ctx.merchantId)));
      if (!clock || clock.deleted) throw notFound("test clock", data.testClockId, "test_clock");
    }
    const [order] = await insertAtobaraiOrders(tx, ctx, [data], source, await customerNow(tx, data.testClockId ?? null, ctx.clock));
    return order!;
  });
}
