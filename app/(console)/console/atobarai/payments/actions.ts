"use server";

import { type ActionResult, staffAction } from "@/lib/console/action";
import { importAtobaraiPaymentNotices, type PaymentImportResult, recordSandboxAtobaraiPayment } from "@/lib/services/atobarai-payments";
import { invalid } from "@/lib/services/errors";

const ATOBARAI_PAYMENTS_PATH = "/console/atobarai/payments";

/** 「取り込む」: the payment-notice file, read here and handed to the service (which checks the role and every row). */
export async function importPaymentNoticesAction(form: FormData): Promise<ActionResult<PaymentImportResult>> {
  return staffAction(
    async (ctx) => {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) throw invalid("Choose a file", "file", "empty_file");
      return importAtobaraiPaymentNotices(ctx, { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    },
    { revalidate: [ATOBARAI_PAYMENTS_PATH, "/console/atobarai/orders"] },
  );
}

/** The sandbox's 「テスト入金」 on a test order: pays what is left (the service refuses orders taking real money). */
export async function sandboxPaymentAction(input: { orderId: string }): Promise<ActionResult> {
  return staffAction(
    async (ctx) => {
      await recordSandboxAtobaraiPayment(ctx, { orderId: String(input.orderId) });
      return null;
    },
    { revalidate: [`/console/atobarai/orders/${input.orderId}`, "/console/atobarai/orders"] },
  );
}
