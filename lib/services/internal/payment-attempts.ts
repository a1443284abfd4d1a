import { and, eq, sql } from "drizzle-orm";
import { bulkInsert, bulkUpdate, inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { invoices, paymentAttempts, paymentMethods } from "@/db/schema";
import type { Gateways } from "@/lib/gateways/gateways";
import type { ChargeResult, PaymentGateway } from "@/lib/gateways/payment-gateway";
import { newId } from "@/lib/ids";
import type { InvoiceRow } from "./invoicing";

export type AttemptRow = typeof paymentAttempts.$inferSelect;
export type AttemptTrigger = AttemptRow["trigger"];

/**
 * What the gateway call needs, decided inside the transaction that opened the attempt. `replay`: the attempt was
 * already in flight (its first call got no answer), so the gateway is asked what became of it before charging.
 */
export type PreparedCharge = { attempt: AttemptRow; card: { ref: string; gateway: string } | null; replay?: boolean };

export type AttemptInput = { paymentMethodId: string | null; trigger: AttemptTrigger; actionId: string | null; at: Date };

/**
 * Opens the next attempt of each invoice (each locked by the caller, or issued in this transaction: `fresh`, which can
 * have no attempt in flight), in one statement per step.
 */
export async function openAttempts(tx: Db, items: readonly { invoice: InvoiceRow; input: AttemptInput; fresh?: boolean }[]): Promise<PreparedCharge[]> {
  if (items.length === 0) return [];
  const maybeInFlight = items.filter((i) => !i.fresh).map((i) => i.invoice.id);
  const inFlight = new Map<string, AttemptRow>();
  if (maybeInFlight.length > 0) {
    const rows = await tx
      .select()
      .from(paymentAttempts)
      .where(and(inList(paymentAttempts.invoiceId, maybeInFlight), eq(paymentAttempts.status, "pending")));
    for (const row of rows) inFlight.set(row.invoiceId, row);
  }
  // Attempts found in flight got no answer on their first call; the ones opened below have not been sent yet.
  const replayed = new Set(inFlight.keys());
  const toOpen = items.filter((i) => !inFlight.has(i.invoice.id));
  if (toOpen.length > 0) {
    const ids = toOpen.map((i) => i.invoice.id);
    await tx
      .update(invoices)
      .set({ attemptCount: sql`${invoices.attemptCount} + 1` })
      .where(inList(invoices.id, ids));
    const rows = toOpen.map(({ invoice, input }) => {
      const attemptNumber = invoice.attemptCount + 1;
      return {
        id: newId("pa"),
        merchantId: invoice.merchantId,
        invoiceId: invoice.id,
        attemptNumber,
        idempotencyKey: `${invoice.id}:${attemptNumber}`,
        paymentMethodId: input.paymentMethodId,
        amount: invoice.total,
        currency: invoice.currency,
        status: "pending" as const,
        trigger: input.trigger,
        actionId: input.actionId,
        attemptedAt: input.at,
      };
    });
    // An inserted row is what was sent plus the column defaults: only created_at comes back from the server.
    const createdAt = new Map((await bulkInsert(tx, paymentAttempts, rows, { returning: ["id", "createdAt"] })).map((row) => [row.id, row.createdAt]));
    const opened = rows.map((row): AttemptRow => ({ ...row, failureCode: null, gatewayChargeId: null, completedAt: null, createdAt: createdAt.get(row.id)! }));
    for (const row of opened) inFlight.set(row.invoiceId, row);
  }
  const attempts = items.map((i) => inFlight.get(i.invoice.id)!);
  const cards = await cardsOf(tx, attempts.map((a) => a.paymentMethodId));
  return attempts.map((attempt) => ({ attempt, card: attempt.paymentMethodId ? (cards.get(attempt.paymentMethodId) ?? null) : null, replay: replayed.has(attempt.invoiceId) }));
}

/** Each active card's reference at its gateway. */
async function cardsOf(tx: Db, paymentMethodIds: readonly (string | null)[]): Promise<Map<string, { ref: string; gateway: string }>> {
  const ids = [...new Set(paymentMethodIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: paymentMethods.id, ref: paymentMethods.gatewayRef, gateway: paymentMethods.gateway })
    .from(paymentMethods)
    .where(and(inList(paymentMethods.id, ids), eq(paymentMethods.status, "active")));
  return new Map(rows.map((row) => [row.id, { ref: row.ref, gateway: row.gateway }]));
}

/** The gateway a merchant's card was saved at: the deployment's own, or the merchant's account (its Stripe keys). */
export async function gatewayOf(gateways: Gateways, merchantId: string, name: string): Promise<PaymentGateway | undefined> {
  return gateways.byName(name) ?? (await gateways.forMerchant(merchantId)).byName(name);
}

/**
 * The gateway call, outside any transaction, at the gateway that saved the card; the attempt's key makes it happen
 * at most once. A zero invoice needs no gateway; a card whose gateway is not configured here has no answer yet
 * (the attempt stays in flight until it is). No blind retries: an attempt replayed after getting no answer is first
 * looked up at a gateway that can (Stripe forgets idempotency keys after 24 hours), and charged only if the gateway
 * never saw it.
 */
export async function chargeAttempt(gateways: Gateways, prepared: PreparedCharge): Promise<ChargeResult> {
  const { attempt, card } = prepared;
  if (attempt.amount === 0) return { status: "succeeded", chargeId: "" };
  if (!card) return { status: "failed", chargeId: null, failureCode: "no_payment_method", message: "No card on file" };
  const gateway = await gatewayOf(gateways, attempt.merchantId, card.gateway);
  if (!gateway) throw new Error(`The ${card.gateway} gateway is not configured in this deployment`);
  if (prepared.replay && gateway.charges) {
    const found = await gateway.charges.find({ idempotencyKey: attempt.idempotencyKey });
    if (found.status === "in_progress") throw new Error(`The ${card.gateway} gateway has not settled attempt ${attempt.id} yet`);
    if (found.status !== "not_found") return found;
  }
  return gateway.charge({
    cardRef: card.ref,
    amount: attempt.amount,
    currency: attempt.currency,
    idempotencyKey: attempt.idempotencyKey,
    at: attempt.attemptedAt,
    references: { keizoku_attempt: attempt.id, keizoku_invoice: attempt.invoiceId, keizoku_merchant: attempt.merchantId },
  });
}

/** A gateway answer for an attempt, and when it is recorded (a test clock's contract has its clock's time). */
export type AttemptResult = { attempt: AttemptRow; result: ChargeResult; at: Date };

/**
 * Records the gateway's answers on pending attempts. Returns the attempts this call moved out of "pending", with
 * their new state; an attempt another process settled first is left out.
 */
export async function recordAttemptResults(tx: Db, answers: readonly AttemptResult[]): Promise<Map<string, AttemptRow>> {
  const rows = answers.map(({ attempt, result, at }) => ({
    ...attempt,
    status: result.status,
    failureCode: result.status === "failed" ? result.failureCode : null,
    gatewayChargeId: result.chargeId || null,
    completedAt: at,
  }));
  const settled = await bulkUpdate(tx, paymentAttempts, rows, {
    key: "id",
    columns: ["status", "failureCode", "gatewayChargeId", "completedAt"],
    where: (t) => eq(t.status, "pending"),
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return new Map(settled.map((id) => [id, byId.get(id)!]));
}
