import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { atobaraiAccounts, atobaraiOrders, type AtobaraiOrderStatus } from "@/db/schema";
import { type AtobaraiSettings, DEFAULT_ATOBARAI_SETTINGS } from "@/lib/billing/atobarai/settings";
import { newId } from "@/lib/ids";

/**
 * 後払い test data written straight to the schema (MONEY's tests start from orders ORDERS' services would have made:
 * on merge the lead may switch these to registerAtobaraiOrder / shipAtobaraiOrder).
 */
export async function enableAtobarai(database: Database, merchantId: string, settings: Partial<AtobaraiSettings> = {}, nextCycleFrom: string | null = null): Promise<void> {
  await database.db.insert(atobaraiAccounts).values({ merchantId, settings: { ...DEFAULT_ATOBARAI_SETTINGS, ...settings }, nextCycleFrom });
}

let sequence = 0;

/** An order as ORDERS leaves it: `shipped` has its invoice issued at `shippedAt` with a due date and numbers to pay with. */
export async function seedAtobaraiOrder(
  database: Database,
  merchantId: string,
  input: { status?: AtobaraiOrderStatus; amount?: number; shippedAt?: Date; dueOn?: string; orderRef?: string; buyerEmail?: string; fallbackForInvoiceId?: string; testClockId?: string },
) {
  sequence++;
  const n = `${Date.now() % 1_000_000}${String(sequence).padStart(4, "0")}`;
  const shipped = input.shippedAt !== undefined;
  const [order] = await database.db
    .insert(atobaraiOrders)
    .values({
      id: newId("abo"),
      merchantId,
      orderRef: input.orderRef ?? `A-${n}`,
      status: input.status ?? (shipped ? "shipped" : "approved"),
      buyerName: "後払 花子",
      buyerKana: "アトバライ ハナコ",
      buyerEmail: input.buyerEmail ?? `buyer-${n}@example.jp`,
      buyerPhone: "090-1234-5678",
      postalCode: "1000001",
      address: "東京都千代田区千代田1-1",
      items: [{ name: "緑茶 詰め合わせ", quantity: 1, unitPrice: input.amount ?? 5_500 }],
      amount: input.amount ?? 5_500,
      source: "api",
      screeningResult: "ok",
      screenedAt: input.shippedAt ?? null,
      trackingNumber: shipped ? `TRK${n}` : null,
      invoiceDelivery: shipped ? "mail" : null,
      invoiceIssuedAt: input.shippedAt ?? null,
      dueOn: input.dueOn ?? null,
      paymentNumber: shipped ? `9${n.padStart(12, "0")}` : null,
      bankReference: shipped ? `8${n.padStart(9, "0").slice(-9)}` : null,
      fallbackForInvoiceId: input.fallbackForInvoiceId ?? null,
      testClockId: input.testClockId ?? null,
    })
    .returning();
  return order!;
}

export async function atobaraiOrder(database: Database, orderId: string) {
  const [order] = await database.db.select().from(atobaraiOrders).where(eq(atobaraiOrders.id, orderId));
  return order!;
}
