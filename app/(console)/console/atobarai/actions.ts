"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { cancelAtobaraiOrder, decideAtobaraiReview, returnAtobaraiOrder, shipAtobaraiOrder } from "@/lib/services/atobarai-order-actions";
import type { AtobaraiOrderInput } from "@/lib/services/atobarai-order-input";
import { recordAtobaraiRefund } from "@/lib/services/atobarai-refunds";
import { enableAtobarai, updateAtobaraiSettings, type updateAtobaraiSettingsInput } from "@/lib/services/atobarai-settings";
import { registerAtobaraiOrder } from "@/lib/services/register-atobarai-order";
import { sendAtobaraiFallback } from "@/lib/services/send-atobarai-fallback";
import { type OrderCsvRowError, uploadAtobaraiOrders } from "@/lib/services/upload-atobarai-orders";
import { type ShipmentCsvRowError, uploadAtobaraiShipments } from "@/lib/services/upload-atobarai-shipments";
import type { z } from "zod";

/*
 * The 後払い pages' server actions: public POST endpoints, each going through staffAction to one service, which
 * validates the input and checks the role itself.
 */

const ROOT = "/console/atobarai";
const orderPath = (id: string) => `${ROOT}/orders/${id}`;

export async function registerOrderAction(input: AtobaraiOrderInput): Promise<ActionResult<{ id: string }>> {
  return staffAction(async (ctx) => ({ id: (await registerAtobaraiOrder(ctx, input, "console")).id }), { revalidate: [ROOT] });
}

export async function decideReviewAction(input: { orderId: string; decision: "approve" | "reject"; note: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await decideAtobaraiReview(ctx, input);
      return null;
    },
    { revalidate: [ROOT, `${ROOT}/review`, orderPath(input.orderId)] },
  );
}

export async function shipOrderAction(input: { orderId: string; trackingNumber: string; carrier: string; invoiceDelivery: "mail" | "enclosed" }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await shipAtobaraiOrder(ctx, { ...input, carrier: input.carrier.trim() || null });
      return null;
    },
    { revalidate: [ROOT, orderPath(input.orderId)] },
  );
}

export async function cancelOrderAction(input: { orderId: string; reason: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await cancelAtobaraiOrder(ctx, { orderId: input.orderId, reason: input.reason.trim() || null });
      return null;
    },
    { revalidate: [ROOT, orderPath(input.orderId)] },
  );
}

export async function returnOrderAction(input: { orderId: string; reason: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await returnAtobaraiOrder(ctx, { orderId: input.orderId, reason: input.reason.trim() || null });
      return null;
    },
    { revalidate: [ROOT, orderPath(input.orderId)] },
  );
}

/** 「返金を記録する」: money staff paid back to the buyer; the dialog's own key makes a double submit record it once. */
export async function recordRefundAction(input: { orderId: string; amount: number; method: "bank_transfer" | "cash" | "other"; note: string; requestKey: string }): Promise<ActionResult<{ amount: number }>> {
  const orderId = String(input.orderId);
  return staffAction(
    async (ctx) => {
      const result = await recordAtobaraiRefund(ctx, { orderId, amount: input.amount, method: input.method, note: String(input.note ?? "").trim() || null, requestKey: `console:${String(input.requestKey)}` });
      return { amount: result.refund.amount };
    },
    { revalidate: [ROOT, `${ROOT}/payments`, orderPath(orderId)] },
  );
}

export type UploadOutcome = { done: { id: string; orderRef: string }[]; errors: (OrderCsvRowError | ShipmentCsvRowError)[]; encoding: string };

/** An uploaded CSV file (orders or tracking numbers), checked row by row; `validOnly` writes the good rows despite errors. */
export async function uploadCsvAction(form: FormData): Promise<ActionResult<UploadOutcome>> {
  const file = form.get("file");
  const kind = form.get("kind") === "shipments" ? "shipments" : "orders";
  const mode = form.get("validOnly") === "on" ? "valid_only" : "all";
  return staffAction(
    async (ctx) => {
      const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
      if (kind === "orders") {
        const r = await uploadAtobaraiOrders(ctx, { file: bytes, mode });
        return { done: r.registered, errors: r.errors, encoding: r.encoding };
      }
      const r = await uploadAtobaraiShipments(ctx, { file: bytes, mode });
      return { done: r.shipped, errors: r.errors, encoding: r.encoding };
    },
    { revalidate: [ROOT] },
  );
}

export async function enableAtobaraiAction(): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await enableAtobarai(ctx);
      return null;
    },
    { revalidate: [ROOT, `${ROOT}/settings`] },
  );
}

export async function updateSettingsAction(input: z.input<typeof updateAtobaraiSettingsInput>): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await updateAtobaraiSettings(ctx, input);
      return null;
    },
    { revalidate: [`${ROOT}/settings`] },
  );
}

/** 「コンビニ・銀行払いの請求書を送る」 on a contract page: the service checks the role, the overdue invoice and the address. */
export async function sendAtobaraiFallbackAction(input: { subscriptionId: string; buyerKana: string; buyerPhone: string; postalCode: string; address: string }): Promise<ActionResult<{ orderId: string; orderRef: string }>> {
  const subscriptionId = String(input.subscriptionId);
  return staffAction(
    async (ctx) => {
      const order = await sendAtobaraiFallback(ctx, { subscriptionId, buyerKana: String(input.buyerKana ?? ""), buyerPhone: String(input.buyerPhone ?? ""), postalCode: String(input.postalCode ?? ""), address: String(input.address ?? "") });
      return { orderId: order.id, orderRef: order.orderRef };
    },
    { revalidate: [`/console/subscriptions/${subscriptionId}`, "/console/atobarai/orders"] },
  );
}
