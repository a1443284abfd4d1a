import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { reusableQuery, unencodedPlaceholder } from "@/db/reusable-query";
import { invoices, paymentAttempts, paymentMethods } from "@/db/schema";
import type { ChargeResult, PaymentGateway } from "@/lib/gateways/payment-gateway";
import { newId } from "@/lib/ids";
import type { InvoiceRow } from "./invoicing";

export type AttemptRow = typeof paymentAttempts.$inferSelect;
export type AttemptTrigger = AttemptRow["trigger"];

/** What the gateway call needs, decided inside the transaction that opened the attempt. */
export type PreparedCharge = { attempt: AttemptRow; cardRef: string | null };

// Queries of every charge, built once (see reusableQuery).
const attemptInFlight = reusableQuery((db) =>
  db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.invoiceId, sql.placeholder("invoiceId")), eq(paymentAttempts.status, "pending")))
    .prepare("attempt_in_flight"),
);
const insertAttemptQuery = reusableQuery((db) =>
  db
    .insert(paymentAttempts)
    .values({
      id: sql.placeholder("id"),
      merchantId: sql.placeholder("merchantId"),
      invoiceId: sql.placeholder("invoiceId"),
      attemptNumber: sql.placeholder("attemptNumber"),
      idempotencyKey: sql.placeholder("idempotencyKey"),
      paymentMethodId: sql.placeholder("paymentMethodId"),
      amount: sql.placeholder("amount"),
      currency: sql.placeholder("currency"),
      status: "pending",
      trigger: sql.placeholder("trigger"),
      actionId: sql.placeholder("actionId"),
      attemptedAt: sql.placeholder("attemptedAt"),
    })
    .returning()
    .prepare("insert_attempt"),
);
const settleAttempt = reusableQuery((db) =>
  db
    .update(paymentAttempts)
    .set({
      status: unencodedPlaceholder("status"),
      failureCode: unencodedPlaceholder("failureCode"),
      gatewayChargeId: unencodedPlaceholder("gatewayChargeId"),
      completedAt: unencodedPlaceholder("completedAt"),
    })
    .where(and(eq(paymentAttempts.id, sql.placeholder("attemptId")), eq(paymentAttempts.status, "pending")))
    .returning()
    .prepare("settle_attempt"),
);
const cardOfPaymentMethod = reusableQuery((db) =>
  db
    .select({ gatewayRef: paymentMethods.gatewayRef, status: paymentMethods.status })
    .from(paymentMethods)
    .where(eq(paymentMethods.id, sql.placeholder("paymentMethodId")))
    .prepare("card_of_payment_method"),
);

/**
 * Opens the next attempt of an invoice (locked by the caller), or returns the one still in flight: a crash
 * between the gateway call and its settlement is healed by replaying the same attempt with the same key.
 */
export async function openAttempt(
  tx: Db,
  invoice: InvoiceRow,
  input: { paymentMethodId: string | null; trigger: AttemptTrigger; actionId: string | null; at: Date },
): Promise<PreparedCharge> {
  const [inFlight] = await attemptInFlight(tx).execute({ invoiceId: invoice.id });
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
  const [attempt] = await insertAttemptQuery(tx).execute({
    id: newId("pa"),
    merchantId: invoice.merchantId,
    invoiceId: invoice.id,
    attemptNumber,
    idempotencyKey: `${invoice.id}:${attemptNumber}`,
    paymentMethodId: input.paymentMethodId,
    amount: invoice.total,
    currency: invoice.currency,
    trigger: input.trigger,
    actionId: input.actionId,
    attemptedAt: input.at,
  });
  return attempt!;
}

async function cardRefOf(tx: Db, paymentMethodId: string | null): Promise<string | null> {
  if (!paymentMethodId) return null;
  const [pm] = await cardOfPaymentMethod(tx).execute({ paymentMethodId });
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
  const [updated] = await settleAttempt(tx).execute({
    status: result.status,
    failureCode: result.status === "failed" ? result.failureCode : null,
    gatewayChargeId: result.chargeId || null,
    completedAt: at.toISOString(),
    attemptId,
  });
  return updated ?? null;
}
