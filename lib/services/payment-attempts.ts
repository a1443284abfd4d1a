import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invoices, paymentAttempts, paymentMethods } from "@/db/schema";
import type { ChargeResult, PaymentGateway } from "@/lib/gateways/payment-gateway";
import { newId } from "@/lib/ids";
import type { InvoiceRow } from "./invoicing";

export type AttemptRow = typeof paymentAttempts.$inferSelect;
export type AttemptTrigger = AttemptRow["trigger"];

/** What the gateway call needs, decided inside the transaction that opened the attempt. */
export type PreparedCharge = { attempt: AttemptRow; cardRef: string | null };

/**
 * Opens the next attempt of an invoice (locked by the caller), or returns the one still in flight: a crash
 * between the gateway call and its settlement is healed by replaying the same attempt with the same key.
 */
export async function openAttempt(
  tx: Db,
  invoice: InvoiceRow,
  input: { paymentMethodId: string | null; trigger: AttemptTrigger; actionId: string | null; at: Date },
): Promise<PreparedCharge> {
  const [inFlight] = await tx
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.invoiceId, invoice.id), eq(paymentAttempts.status, "pending")));
  const attempt = inFlight ?? (await insertAttempt(tx, invoice, input));
  return { attempt, cardRef: await cardRefOf(tx, attempt.paymentMethodId) };
}

async function insertAttempt(
  tx: Db,
  invoice: InvoiceRow,
  input: { paymentMethodId: string | null; trigger: AttemptTrigger; actionId: string | null; at: Date },
): Promise<AttemptRow> {
  const attemptNumber = invoice.attemptCount + 1;
  await tx.update(invoices).set({ attemptCount: attemptNumber }).where(eq(invoices.id, invoice.id));
  const [attempt] = await tx
    .insert(paymentAttempts)
    .values({
      id: newId("pa"),
      merchantId: invoice.merchantId,
      invoiceId: invoice.id,
      attemptNumber,
      idempotencyKey: `${invoice.id}:${attemptNumber}`,
      paymentMethodId: input.paymentMethodId,
      amount: invoice.total,
      currency: invoice.currency,
      status: "pending",
      trigger: input.trigger,
      actionId: input.actionId,
      attemptedAt: input.at,
    })
    .returning();
  return attempt!;
}

async function cardRefOf(tx: Db, paymentMethodId: string | null): Promise<string | null> {
  if (!paymentMethodId) return null;
  const [pm] = await tx
    .select({ gatewayRef: paymentMethods.gatewayRef, status: paymentMethods.status })
    .from(paymentMethods)
    .where(eq(paymentMethods.id, paymentMethodId));
  return pm && pm.status === "active" ? pm.gatewayRef : null;
}

/** The gateway call, outside any transaction; the attempt's key makes it happen at most once. */
export async function chargeAttempt(gateway: PaymentGateway, prepared: PreparedCharge): Promise<ChargeResult> {
  const { attempt, cardRef } = prepared;
  if (attempt.amount === 0) return { status: "succeeded", chargeId: "" };
  if (!cardRef) return { status: "failed", chargeId: null, failureCode: "no_payment_method", message: "No card on file" };
  return gateway.charge({ cardRef, amount: attempt.amount, currency: attempt.currency, idempotencyKey: attempt.idempotencyKey });
}

/** Records the gateway's answer on a pending attempt; false when another process already did. */
export async function recordAttemptResult(tx: Db, attemptId: string, result: ChargeResult, at: Date): Promise<AttemptRow | null> {
  const [updated] = await tx
    .update(paymentAttempts)
    .set({
      status: result.status,
      failureCode: result.status === "failed" ? result.failureCode : null,
      gatewayChargeId: result.chargeId || null,
      completedAt: at,
    })
    .where(and(eq(paymentAttempts.id, attemptId), eq(paymentAttempts.status, "pending")))
    .returning();
  return updated ?? null;
}
