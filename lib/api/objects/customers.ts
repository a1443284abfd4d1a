import { z } from "zod";
import type { customers, paymentMethods } from "@/db/schema";
import { iso, timestamp } from "../list";

export const customerObject = z
  .object({
    id: z.string(),
    object: z.literal("customer"),
    email: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    locale: z.enum(["ja", "en"]),
    test_clock: z.string().nullable().describe("The test clock the customer lives on, or null for real time"),
    default_payment_method: z.string().nullable(),
    created: timestamp,
  })
  .meta({ id: "Customer" });

export function toCustomer(row: typeof customers.$inferSelect): z.infer<typeof customerObject> {
  return {
    id: row.id,
    object: "customer",
    email: row.email,
    name: row.name,
    phone: row.phone,
    locale: row.locale,
    test_clock: row.testClockId,
    default_payment_method: row.defaultPaymentMethodId,
    created: iso(row.createdAt)!,
  };
}

export const paymentMethodObject = z
  .object({
    id: z.string(),
    object: z.literal("payment_method"),
    customer: z.string(),
    brand: z.string(),
    last4: z.string(),
    exp_month: z.number().int(),
    exp_year: z.number().int(),
    status: z.enum(["active", "detached"]),
    created: timestamp,
  })
  .meta({ id: "PaymentMethod" });

export function toPaymentMethod(row: typeof paymentMethods.$inferSelect): z.infer<typeof paymentMethodObject> {
  return {
    id: row.id,
    object: "payment_method",
    customer: row.customerId,
    brand: row.brand,
    last4: row.last4,
    exp_month: row.expMonth,
    exp_year: row.expYear,
    status: row.status,
    created: iso(row.createdAt)!,
  };
}

export const tokenObject = z
  .object({
    id: z.string().describe("One-time token (tok_...) for POST /customers/{id}/payment_methods"),
    object: z.literal("token"),
    card: z.object({ brand: z.string(), last4: z.string(), exp_month: z.number().int(), exp_year: z.number().int() }),
  })
  .meta({ id: "Token" });
