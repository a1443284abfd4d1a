import { and, eq, isNull, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { atobaraiOrderEvents, atobaraiOrders } from "@/db/schema";
import { nextOrderStatus, type OrderTransition } from "@/lib/billing/atobarai/order-state";
import { newId } from "@/lib/ids";
import type { Actor, Clock } from "../context";
import { customerNow } from "./contract";
import { conflict, notFound } from "../errors";

export type AtobaraiOrderRow = typeof atobaraiOrders.$inferSelect;

/** The order, locked for the rest of the transaction (every change of an order's status goes through here). */
export async function lockAtobaraiOrder(tx: Db, merchantId: string, orderId: string): Promise<AtobaraiOrderRow> {
  const [order] = await tx
    .select()
    .from(atobaraiOrders)
    .where(and(eq(atobaraiOrders.id, orderId), eq(atobaraiOrders.merchantId, merchantId)))
    .for("update");
  if (!order) throw notFound("order", orderId, "order");
  return order;
}

/**
 * Which orders a worker's pass takes: the live ones (the runner loop and crons), or one test clock's (its advance).
 * A test clock's orders move on only when the clock does.
 */
export type AtobaraiScope = { testClockId: null } | { merchantId: string; testClockId: string };
export const LIVE: AtobaraiScope = { testClockId: null };

export const onScope = (scope: AtobaraiScope = LIVE): SQL =>
  scope.testClockId === null ? isNull(atobaraiOrders.testClockId) : and(eq(atobaraiOrders.merchantId, scope.merchantId), eq(atobaraiOrders.testClockId, scope.testClockId))!;

/** The time an order lives on: its test clock's (a sandbox order on a test clock), or the real one. */
export const orderNow = (tx: Db, order: Pick<AtobaraiOrderRow, "testClockId">, clock: Clock): Promise<Date> => customerNow(tx, order.testClockId, clock);

export const actorLabel = (actor: Actor) => `${actor.type}${actor.id ? `:${actor.id}` : ""}`;

/** Appends to an order's timeline. */
export async function recordOrderEvent(tx: Db, order: Pick<AtobaraiOrderRow, "id" | "merchantId">, event: { kind: string; data?: Record<string, unknown>; actor: Actor; at: Date }): Promise<void> {
  await tx.insert(atobaraiOrderEvents).values({ id: newId("abe"), merchantId: order.merchantId, orderId: order.id, kind: event.kind, data: event.data ?? {}, actor: actorLabel(event.actor), at: event.at });
}

/**
 * Moves a locked order on (order-state.ts decides whether it may), with the columns that go with the move, and
 * writes the move to its timeline; a move not allowed from where the order is is a conflict and changes nothing.
 */
export async function transitionAtobaraiOrder(
  tx: Db,
  order: AtobaraiOrderRow,
  transition: OrderTransition,
  change: { set?: Partial<typeof atobaraiOrders.$inferInsert>; data?: Record<string, unknown>; actor: Actor; at: Date },
): Promise<AtobaraiOrderRow> {
  const status = nextOrderStatus(order.status, transition);
  if (!status) throw conflict(`A ${order.status} order cannot be ${transition.replace("_", " ")}`, `order_${order.status}`);
  const [updated] = await tx
    .update(atobaraiOrders)
    .set({ ...change.set, status, updatedAt: change.at })
    .where(eq(atobaraiOrders.id, order.id))
    .returning();
  await recordOrderEvent(tx, order, { kind: transition, data: change.data, actor: change.actor, at: change.at });
  return updated!;
}
