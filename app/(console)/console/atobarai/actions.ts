"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { sendAtobaraiFallback } from "@/lib/services/send-atobarai-fallback";

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
