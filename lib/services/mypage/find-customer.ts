import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { customers } from "@/db/schema";

/** The merchant's customer with this email (case-insensitive; a customer's email is unique per merchant, not globally). */
export async function customerByEmail(db: Db, merchantId: string, email: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), sql`lower(${customers.email}) = ${email.toLowerCase()}`))
    .orderBy(asc(customers.createdAt), asc(customers.id))
    .limit(1);
  return row ?? null;
}
