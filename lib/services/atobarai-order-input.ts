import { z } from "zod";
import { normalizePostalCode } from "@/lib/address/postal-code";
import { normalizeEmail, normalizePhone } from "@/lib/billing/atobarai/buyer-identity";

/**
 * One 後払い order as the console form, a CSV row group and the API give it: the buyer (who receives the invoice),
 * where the goods go when elsewhere, the items and the amount the buyer pays. One schema for the three, so that
 * each refuses exactly what the others refuse.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const postalCode = z
  .string()
  .trim()
  .transform((code, ctx) => {
    const digits = normalizePostalCode(code);
    if (!digits) ctx.addIssue({ code: "custom", message: "a postal code is 7 digits (123-4567)" });
    return digits ?? "";
  });
const phone = z
  .string()
  .trim()
  .max(30)
  .refine((p) => normalizePhone(p) !== null, "not a Japanese phone number (10 or 11 digits)");
/** Katakana or hiragana, with spaces and the long-vowel mark: what an invoice's name in kana is written in. */
const kana = text(100).refine((k) => /^[\p{Script=Katakana}\p{Script=Hiragana}ー・\s　]+$/u.test(k.normalize("NFKC")), "kana only (カタカナ or ひらがな)");

const email = z
  .string()
  .trim()
  .max(254)
  .refine((e) => normalizeEmail(e) !== null, "not an email address");

/** The fields' own checks, for adapters that name the fields differently (the API's snake_case). */
export const atobaraiFields = { text, postalCode, phone, kana, email };

export const atobaraiItemInput = z.object({
  name: text(200),
  quantity: z.number().int().min(1).max(9_999),
  /** Yen, tax included; 0 for a free item, negative for a discount line. */
  unitPrice: z.number().int().min(-10_000_000).max(10_000_000),
});

export const atobaraiShippingInput = z.object({ name: text(100), kana: kana.nullish(), phone: phone.nullish(), postalCode, address: text(200) });

export const atobaraiOrderInput = z
  .object({
    /** The merchant's own order number. */
    orderRef: text(64).regex(/^[\x21-\x7e]+$/, "letters, digits and symbols without spaces"),
    buyer: z.object({
      name: text(100),
      kana,
      email,
      phone,
      postalCode,
      address: text(200),
    }),
    shipping: atobaraiShippingInput.nullish(),
    items: z.array(atobaraiItemInput).min(1).max(100),
    /** What the buyer pays, yen: the items' total (given to be checked against it, or left out). */
    amount: z.number().int().min(1).max(10_000_000).optional(),
    /** Mailed to the buyer or enclosed in the parcel (同梱); the merchant's default when left out. */
    invoiceDelivery: z.enum(["mail", "enclosed"]).optional(),
    /** A sandbox order on this test clock: it lives on the clock's time and moves on only when the clock is advanced. */
    testClockId: z.string().trim().min(1).max(64).nullish(),
  })
  .superRefine((order, ctx) => {
    const total = order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
    if (total < 1) ctx.addIssue({ code: "custom", path: ["items"], message: "the items' total must be at least ¥1" });
    else if (order.amount !== undefined && order.amount !== total) ctx.addIssue({ code: "custom", path: ["amount"], message: `the amount (${order.amount}) is not the items' total (${total})` });
  })
  .transform((order) => ({ ...order, amount: order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0) }));

export type AtobaraiOrderInput = z.input<typeof atobaraiOrderInput>;
export type AtobaraiOrderData = z.output<typeof atobaraiOrderInput>;
