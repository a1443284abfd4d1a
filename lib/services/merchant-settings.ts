import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants } from "@/db/schema";
import { notFound } from "./errors";

export async function loadMerchant(tx: Db, merchantId: string) {
  const [merchant] = await tx.select().from(merchants).where(eq(merchants.id, merchantId));
  if (!merchant) throw notFound("merchant", merchantId);
  return merchant;
}

export async function merchantTimeZone(tx: Db, merchantId: string): Promise<string> {
  return (await loadMerchant(tx, merchantId)).timeZone;
}
