import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { customers, testClocks } from "@/db/schema";
import { newId } from "@/lib/ids";
import { recordAudit } from "./internal/audit";
import { customerNow } from "./internal/contract";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { notFound, parseInput } from "./errors";

/** A postal address in Japan's order; the postal code's full-width digits are made half-width (NFKC). */
export const customerAddress = z.object({
  postalCode: z
    .string()
    .trim()
    .transform((code) => code.normalize("NFKC"))
    .pipe(z.string().regex(/^\d{3}-?\d{4}$/, "a postal code is 7 digits (123-4567)"))
    // One way to store it, however it was typed: 123-4567.
    .transform((code) => code.replace(/^(\d{3})(\d{4})$/, "$1-$2")),
  prefecture: z.string().trim().min(1).max(10),
  city: z.string().trim().min(1).max(100),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
});
export type CustomerAddress = z.infer<typeof customerAddress>;

export const createCustomerInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(200),
  phone: z.string().trim().max(30).nullish(),
  address: customerAddress.nullish(),
  locale: z.enum(["ja", "en"]).default("ja"),
  testClockId: z.string().nullish(),
});

/** A customer; one created on a test clock lives on the clock's frozen time from then on. */
export async function createCustomer(ctx: ServiceContext, input: z.input<typeof createCustomerInput>) {
  const data = parseInput(createCustomerInput, input);
  authorize(ctx.actor, "customers.manage");
  return ctx.db.transaction(async (tx) => {
    if (data.testClockId) {
      const [clock] = await tx.select({ id: testClocks.id }).from(testClocks).where(and(eq(testClocks.id, data.testClockId), eq(testClocks.merchantId, ctx.merchantId)));
      if (!clock) throw notFound("test clock", data.testClockId, "test_clock");
    }
    const now = await customerNow(tx, data.testClockId ?? null, ctx.clock);
    const [customer] = await tx
      .insert(customers)
      .values({ id: newId("cus"), merchantId: ctx.merchantId, email: data.email, name: data.name, phone: data.phone ?? null, address: data.address ?? null, locale: data.locale, testClockId: data.testClockId ?? null, createdAt: now })
      .returning();
    await recordAudit(tx, ctx, { action: "customer.created", targetType: "customer", targetId: customer!.id, at: now });
    return customer!;
  });
}
