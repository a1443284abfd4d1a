import { eq } from "drizzle-orm";
import { z } from "zod";
import { merchants } from "@/db/schema";
import { normaliseRegistrationNumber, registrationNumberProblem } from "@/lib/billing/invoice-registration-number";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { invalid, notFound, parseInput } from "./errors";
import { recordAudit } from "./internal/audit";

/** As typed: full-width digits, a lowercase t, spaces and hyphens are accepted; blank or null clears the number. */
export const updateInvoiceRegistrationNumberInput = z.object({ registrationNumber: z.string().max(100).nullable() });

/**
 * The merchant's 適格請求書発行事業者登録番号, printed on receipts from now on (receipts already issued keep theirs).
 * A number whose check digit is wrong is refused, as it cannot be anyone's.
 */
export async function updateInvoiceRegistrationNumber(ctx: ServiceContext, input: z.input<typeof updateInvoiceRegistrationNumberInput>) {
  const data = parseInput(updateInvoiceRegistrationNumberInput, input);
  const value = data.registrationNumber === null ? "" : normaliseRegistrationNumber(data.registrationNumber);
  const problem = value === "" ? null : registrationNumberProblem(value);
  if (problem) throw invalid(`registrationNumber: '${value}' is not a registration number (${problem})`, "registrationNumber", `registration_number_${problem}`);
  const registrationNumber = value === "" ? null : value;
  authorize(ctx.actor, "settings.manage");
  return ctx.db.transaction(async (tx) => {
    const [merchant] = await tx.select({ before: merchants.invoiceRegistrationNumber }).from(merchants).where(eq(merchants.id, ctx.merchantId)).for("update");
    if (!merchant) throw notFound("merchant", ctx.merchantId);
    await tx.update(merchants).set({ invoiceRegistrationNumber: registrationNumber }).where(eq(merchants.id, ctx.merchantId));
    await recordAudit(tx, ctx, {
      action: "merchant.invoice_registration_number_updated",
      targetType: "merchant",
      targetId: ctx.merchantId,
      data: { before: merchant.before, after: registrationNumber },
      at: ctx.clock.now(),
    });
    return { registrationNumber };
  });
}
