import { z } from "zod";
import { type CsvUploadRow, decodeCsvUpload, parseCsvUpload, type UploadEncoding } from "@/lib/csv/csv-upload";
import { atobaraiOrderInput, type AtobaraiOrderData } from "./atobarai-order-input";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { invalid, parseInput } from "./errors";
import { insertAtobaraiOrders, takenOrderRefs } from "./register-atobarai-order";

/** The columns of an order upload, by key: each may be titled in Japanese (as Seino's templates do) or English. */
export const ORDER_CSV_COLUMNS = {
  order_ref: ["注文番号", "注文ID", "order_ref"],
  buyer_name: ["購入者名", "注文者名", "buyer_name"],
  buyer_kana: ["購入者名カナ", "注文者名カナ", "buyer_kana"],
  email: ["メールアドレス", "email"],
  phone: ["電話番号", "phone"],
  postal_code: ["郵便番号", "postal_code"],
  address: ["住所", "address"],
  shipping_name: ["配送先氏名", "shipping_name"],
  shipping_kana: ["配送先氏名カナ", "shipping_kana"],
  shipping_phone: ["配送先電話番号", "shipping_phone"],
  shipping_postal_code: ["配送先郵便番号", "shipping_postal_code"],
  shipping_address: ["配送先住所", "shipping_address"],
  item_name: ["商品名", "item_name"],
  quantity: ["数量", "quantity"],
  unit_price: ["単価", "unit_price"],
  amount: ["請求金額", "amount"],
  invoice_delivery: ["請求書送付方法", "invoice_delivery"],
} as const;
type OrderColumn = keyof typeof ORDER_CSV_COLUMNS;
const REQUIRED: OrderColumn[] = ["order_ref", "buyer_name", "buyer_kana", "email", "phone", "postal_code", "address", "item_name", "quantity", "unit_price"];
const BUYER: OrderColumn[] = ["buyer_name", "buyer_kana", "email", "phone", "postal_code", "address", "shipping_name", "shipping_kana", "shipping_phone", "shipping_postal_code", "shipping_address", "amount", "invoice_delivery"];

/** Where a schema path points in the file: the column a row's error names. */
const COLUMN_OF_PATH: Record<string, OrderColumn> = {
  orderRef: "order_ref",
  "buyer.name": "buyer_name",
  "buyer.kana": "buyer_kana",
  "buyer.email": "email",
  "buyer.phone": "phone",
  "buyer.postalCode": "postal_code",
  "buyer.address": "address",
  "shipping.name": "shipping_name",
  "shipping.kana": "shipping_kana",
  "shipping.phone": "shipping_phone",
  "shipping.postalCode": "shipping_postal_code",
  "shipping.address": "shipping_address",
  amount: "amount",
  invoiceDelivery: "invoice_delivery",
};

/** One refused row: its line (the header is 1), the column at fault when one is, and why. */
export type OrderCsvRowError = { line: number; column: OrderColumn | null; reason: string; message: string };

const integer = (text: string) => (/^-?\d+$/.test(text.normalize("NFKC").replace(/[,¥\s]/g, "")) ? Number(text.normalize("NFKC").replace(/[,¥\s]/g, "")) : Number.NaN);
const DELIVERY: Record<string, "mail" | "enclosed"> = { "": "mail", mail: "mail", メール: "mail", 郵送: "mail", enclosed: "enclosed", 同梱: "enclosed" };

/** The rows of one order (rows with the same order number are its items) made the order input, or the rows' errors. */
function orderOfRows(rows: CsvUploadRow[]): { ok: true; data: AtobaraiOrderData } | { ok: false; errors: OrderCsvRowError[] } {
  const [first, ...rest] = rows as [CsvUploadRow, ...CsvUploadRow[]];
  const c = first.cells;
  const errors: OrderCsvRowError[] = [];
  for (const row of rest) {
    const differs = BUYER.find((k) => (row.cells[k] ?? "") !== "" && row.cells[k] !== (c[k] ?? ""));
    if (differs) errors.push({ line: row.line, column: differs, reason: "differs_from_first_row", message: `${ORDER_CSV_COLUMNS[differs][0]} differs from the order's first row (line ${first.line})` });
  }
  const items = rows.map((row) => ({ name: row.cells.item_name ?? "", quantity: integer(row.cells.quantity ?? ""), unitPrice: integer(row.cells.unit_price ?? "") }));
  rows.forEach((row, i) => {
    if (Number.isNaN(items[i]!.quantity)) errors.push({ line: row.line, column: "quantity", reason: "not_a_number", message: "数量 is not a whole number" });
    if (Number.isNaN(items[i]!.unitPrice)) errors.push({ line: row.line, column: "unit_price", reason: "not_a_number", message: "単価 is not a whole number of yen" });
  });
  const delivery = DELIVERY[(c.invoice_delivery ?? "").trim().toLowerCase()];
  if (!delivery) errors.push({ line: first.line, column: "invoice_delivery", reason: "unknown_delivery", message: "請求書送付方法 is メール or 同梱" });
  const amount = c.amount ? integer(c.amount) : undefined;
  if (amount !== undefined && Number.isNaN(amount)) errors.push({ line: first.line, column: "amount", reason: "not_a_number", message: "請求金額 is not a whole number of yen" });
  if (errors.length > 0) return { ok: false, errors };
  const hasShipping = ["shipping_name", "shipping_postal_code", "shipping_address"].some((k) => c[k]);
  const input = {
    orderRef: c.order_ref ?? "",
    buyer: { name: c.buyer_name ?? "", kana: c.buyer_kana ?? "", email: c.email ?? "", phone: c.phone ?? "", postalCode: c.postal_code ?? "", address: c.address ?? "" },
    shipping: hasShipping ? { name: c.shipping_name ?? "", kana: c.shipping_kana || null, phone: c.shipping_phone || null, postalCode: c.shipping_postal_code ?? "", address: c.shipping_address ?? "" } : null,
    items,
    amount,
    invoiceDelivery: c.invoice_delivery ? delivery : undefined,
  };
  const parsed = atobaraiOrderInput.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String);
      // An item's fault is on that item's row; anything else on the order's first row.
      if (path[0] === "items" && path.length > 1) {
        const row = rows[Number(path[1])] ?? first;
        const column: OrderColumn = path[2] === "name" ? "item_name" : path[2] === "quantity" ? "quantity" : "unit_price";
        return { line: row.line, column, reason: "invalid", message: `${ORDER_CSV_COLUMNS[column][0]}: ${issue.message}` };
      }
      const column = COLUMN_OF_PATH[path.join(".")] ?? (path[0] === "items" ? "unit_price" : null);
      return { line: first.line, column, reason: "invalid", message: column ? `${ORDER_CSV_COLUMNS[column][0]}: ${issue.message}` : issue.message };
    }),
  };
}

export const uploadAtobaraiOrdersInput = z.object({
  /** The file's bytes. */
  file: z.instanceof(Uint8Array),
  /** all: nothing is written when any row is refused; valid_only: the merchant chose to register the good rows anyway. */
  mode: z.enum(["all", "valid_only"]).default("all"),
});

export type OrderUploadResult = {
  encoding: UploadEncoding;
  /** Orders found in the file (rows with the same order number count once). */
  orders: number;
  registered: { id: string; orderRef: string }[];
  errors: OrderCsvRowError[];
};

/**
 * Registers orders from a CSV file (UTF-8 or Shift_JIS). Every row is checked before anything is written: with any
 * row refused, nothing is registered (mode all) — or, when the merchant chose valid_only, the orders whose rows are
 * all good are. Rows with the same order number are the items of one order.
 */
export async function uploadAtobaraiOrders(ctx: ServiceContext, input: z.input<typeof uploadAtobaraiOrdersInput>): Promise<OrderUploadResult> {
  const { file, mode } = parseInput(uploadAtobaraiOrdersInput, input);
  authorize(ctx.actor, "atobarai.operate");
  const { text, encoding } = decodeCsvUpload(file);
  const parsed = parseCsvUpload(text, ORDER_CSV_COLUMNS, REQUIRED);
  if (!parsed.ok) throw invalid(parsed.problem === "empty" ? "The file has no header row" : `The file's columns cannot be read (${parsed.problem}: ${parsed.detail})`, "file", parsed.problem);
  if (parsed.rows.length === 0) throw invalid("The file has no orders", "file", "no_rows");
  if (parsed.rows.length > 5_000) throw invalid("At most 5,000 rows per file", "file", "too_many_rows");

  const groups = new Map<string, CsvUploadRow[]>();
  for (const row of parsed.rows) {
    const ref = row.cells.order_ref ?? "";
    groups.set(ref, [...(groups.get(ref) ?? []), row]);
  }
  return ctx.db.transaction(async (tx) => {
    const taken = await takenOrderRefs(tx, ctx.merchantId, [...groups.keys()]);
    const good: AtobaraiOrderData[] = [];
    const errors: OrderCsvRowError[] = [];
    for (const [ref, rows] of groups) {
      const order = orderOfRows(rows);
      if (!order.ok) errors.push(...order.errors);
      else if (taken.has(ref)) errors.push({ line: rows[0]!.line, column: "order_ref", reason: "order_ref_taken", message: `注文番号 ${ref} is registered already` });
      else good.push(order.data);
    }
    errors.sort((a, b) => a.line - b.line);
    if (errors.length > 0 && mode === "all") return { encoding, orders: groups.size, registered: [], errors };
    const rows = await insertAtobaraiOrders(tx, ctx, good, "csv", ctx.clock.now());
    return { encoding, orders: groups.size, registered: rows.map((r) => ({ id: r.id, orderRef: r.orderRef })), errors };
  });
}
