import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { atobaraiOrders } from "@/db/schema";
import { decodeCsvUpload, parseCsvUpload, type UploadEncoding } from "@/lib/csv/csv-upload";
import { shipAtobaraiOrderInput, shipLockedOrder } from "./atobarai-order-actions";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { invalid, parseInput } from "./errors";
import { lockAtobaraiOrder, orderNow } from "./internal/atobarai-orders";

/** The columns of a tracking-number upload (送り状番号一括登録). */
export const SHIPMENT_CSV_COLUMNS = {
  order_ref: ["注文番号", "注文ID", "order_ref"],
  tracking_number: ["送り状番号", "配送伝票番号", "tracking_number"],
  carrier: ["配送業者", "carrier"],
  invoice_delivery: ["請求書送付方法", "invoice_delivery"],
} as const;
type ShipmentColumn = keyof typeof SHIPMENT_CSV_COLUMNS;

export type ShipmentCsvRowError = { line: number; column: ShipmentColumn | null; reason: string; message: string };

export const uploadAtobaraiShipmentsInput = z.object({ file: z.instanceof(Uint8Array), mode: z.enum(["all", "valid_only"]).default("all") });

const DELIVERY: Record<string, "mail" | "enclosed" | undefined> = { "": undefined, mail: "mail", メール: "mail", 郵送: "mail", enclosed: "enclosed", 同梱: "enclosed" };

/**
 * Registers tracking numbers from a CSV file (UTF-8 or Shift_JIS), each issuing its order's invoice as the form does.
 * Every row is checked first — the order is known and screened OK, the number well formed, each order once — and with
 * any row refused nothing ships (mode all), or, when the merchant chose valid_only, the good rows do.
 */
export async function uploadAtobaraiShipments(ctx: ServiceContext, input: z.input<typeof uploadAtobaraiShipmentsInput>): Promise<{ encoding: UploadEncoding; rows: number; shipped: { id: string; orderRef: string }[]; errors: ShipmentCsvRowError[] }> {
  const { file, mode } = parseInput(uploadAtobaraiShipmentsInput, input);
  authorize(ctx.actor, "atobarai.operate");
  const { text, encoding } = decodeCsvUpload(file);
  const parsed = parseCsvUpload(text, SHIPMENT_CSV_COLUMNS, ["order_ref", "tracking_number"]);
  if (!parsed.ok) throw invalid(parsed.problem === "empty" ? "The file has no header row" : `The file's columns cannot be read (${parsed.problem}: ${parsed.detail})`, "file", parsed.problem);
  if (parsed.rows.length === 0) throw invalid("The file has no rows", "file", "no_rows");
  if (parsed.rows.length > 5_000) throw invalid("At most 5,000 rows per file", "file", "too_many_rows");
  return ctx.db.transaction(async (tx) => {
    const refs = [...new Set(parsed.rows.map((r) => r.cells.order_ref ?? ""))];
    const found = await tx
      .select({ id: atobaraiOrders.id, orderRef: atobaraiOrders.orderRef, status: atobaraiOrders.status })
      .from(atobaraiOrders)
      .where(and(eq(atobaraiOrders.merchantId, ctx.merchantId), inArray(atobaraiOrders.orderRef, refs)));
    const byRef = new Map(found.map((o) => [o.orderRef, o]));
    const seen = new Map<string, number>();
    const errors: ShipmentCsvRowError[] = [];
    const good: { orderId: string; data: z.output<typeof shipAtobaraiOrderInput> }[] = [];
    for (const row of parsed.rows) {
      const ref = row.cells.order_ref ?? "";
      const order = byRef.get(ref);
      const delivery = DELIVERY[(row.cells.invoice_delivery ?? "").toLowerCase()];
      const checked = shipAtobaraiOrderInput.safeParse({ orderId: order?.id ?? "-", trackingNumber: row.cells.tracking_number ?? "", carrier: row.cells.carrier || null, invoiceDelivery: delivery });
      if (!order) errors.push({ line: row.line, column: "order_ref", reason: "unknown_order", message: `注文番号 ${ref} is not a registered order` });
      else if (seen.has(ref)) errors.push({ line: row.line, column: "order_ref", reason: "duplicate_row", message: `注文番号 ${ref} is on line ${seen.get(ref)} already` });
      else if (order.status !== "approved") errors.push({ line: row.line, column: "order_ref", reason: `order_${order.status}`, message: `注文番号 ${ref} cannot ship: it is ${order.status}` });
      else if ((row.cells.invoice_delivery ?? "") !== "" && delivery === undefined) errors.push({ line: row.line, column: "invoice_delivery", reason: "unknown_delivery", message: "請求書送付方法 is メール or 同梱" });
      else if (!checked.success) errors.push({ line: row.line, column: "tracking_number", reason: "invalid", message: `送り状番号: ${checked.error.issues[0]?.message ?? "invalid"}` });
      else good.push({ orderId: order.id, data: checked.data });
      if (!seen.has(ref)) seen.set(ref, row.line);
    }
    if (errors.length > 0 && mode === "all") return { encoding, rows: parsed.rows.length, shipped: [], errors };
    const shipped: { id: string; orderRef: string }[] = [];
    for (const { orderId, data } of good) {
      const order = await lockAtobaraiOrder(tx, ctx.merchantId, orderId);
      const done = await shipLockedOrder(tx, ctx, order, data, await orderNow(tx, order, ctx.clock));
      shipped.push({ id: done.id, orderRef: done.orderRef });
    }
    return { encoding, rows: parsed.rows.length, shipped, errors };
  });
}
