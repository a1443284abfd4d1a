import type { Db } from "@/db/client";
import type { InvoiceDraft } from "@/lib/billing/invoice";
import { declineKind } from "@/lib/billing/decline";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import type { Contract } from "./contract";
import type { ContractWriter } from "./contract-writer";
import { type InvoiceRow, issueInvoices } from "./invoicing";
import { type AttemptTrigger, chargeAttempt, openAttempts, type PreparedCharge } from "./payment-attempts";
import { settleCharges, type SettleResult } from "./settlement";

/**
 * Opens a charge inside a verb's transaction: issues the draft (idempotently by its billing key) or takes an open
 * invoice, and opens its attempt — or finds the attempt still in flight, which is then replayed with its own key.
 * An invoice that is no longer open (the same request, repeated after it was paid) gets no attempt.
 */
export async function openCharge(
  tx: Db,
  writer: ContractWriter,
  contract: Contract,
  what: { draft: InvoiceDraft } | { invoice: InvoiceRow },
  trigger: AttemptTrigger,
): Promise<{ invoice: InvoiceRow; prepared: PreparedCharge | null }> {
  let invoice: InvoiceRow;
  let fresh = false;
  if ("draft" in what) {
    const [issued] = await issueInvoices(tx, writer, [{ contract, draft: what.draft }]);
    invoice = issued!.invoice;
    fresh = issued!.created;
  } else {
    invoice = what.invoice;
  }
  if (invoice.status !== "open") return { invoice, prepared: null };
  const [prepared] = await openAttempts(tx, [{ invoice, fresh, input: { paymentMethodId: contract.sub.paymentMethodId, trigger, actionId: null, at: contract.now } }]);
  return { invoice, prepared: prepared! };
}

/**
 * Charges an attempt a person or a caller waits for, and settles it. The one way a verb reports a declined card:
 * a `payment_declined` ServiceError naming the decline code, whether it is hard or soft, the invoice and the
 * contract. When the gateway does not answer the attempt stays in flight (`unavailable`); collecting the invoice
 * again replays it with the same key, so nothing is charged twice.
 */
export async function collectNow(ctx: ServiceContext, prepared: PreparedCharge, subscriptionId: string): Promise<SettleResult> {
  let result;
  try {
    result = await chargeAttempt(ctx.gateways, prepared);
  } catch (error) {
    throw new ServiceError("unavailable", `The payment gateway did not answer; the charge will be confirmed on the next attempt (${(error as Error).message})`, {
      reason: "gateway_unavailable",
    });
  }
  const [settled] = await settleCharges(ctx, [{ prepared, result, subscriptionId }]);
  if (settled!.status === "failed") throw cardDeclined(settled!.failureCode ?? "card_declined", settled!.invoiceId, subscriptionId);
  return settled!;
}

export function cardDeclined(declineCode: string, invoiceId: string, subscriptionId: string): ServiceError {
  const kind = declineKind(declineCode);
  return new ServiceError(
    "payment_declined",
    kind === "hard" ? `The card was declined (${declineCode}); a new card is needed` : `The card was declined (${declineCode})`,
    { declineCode, declineKind: kind, invoiceId, subscriptionId },
  );
}
