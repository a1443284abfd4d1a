import { and, eq } from "drizzle-orm";
import { customers } from "@/db/schema";
import type { Platform } from "../context";
import { newCardGateway } from "../internal/card-setup";

/**
 * The card form a merchant's pages show (checkout, the card page of a signed link): the sandbox's hosted fields,
 * Stripe's Payment Element with the account's publishable key, or none — a Stripe account without a publishable key
 * cannot take a card in the browser, and the page says so. It follows the gateway the card will be saved at.
 */
export type CardForm = { kind: "sandbox" } | { kind: "stripe"; publishableKey: string } | { kind: "unavailable" };

/** The card form for a merchant's new customer (checkout), or for one of its customers (on a test clock: the sandbox's). */
export async function cardFormFor(platform: Pick<Platform, "db" | "gateways">, merchantId: string, customer: { customerId: string } | null = null): Promise<CardForm> {
  let testClockId: string | null = null;
  if (customer) {
    const [row] = await platform.db
      .select({ testClockId: customers.testClockId })
      .from(customers)
      .where(and(eq(customers.id, customer.customerId), eq(customers.merchantId, merchantId)));
    testClockId = row?.testClockId ?? null;
  }
  const gateway = await newCardGateway({ gateways: platform.gateways, merchantId }, testClockId);
  if (gateway.cardForm) return gateway.cardForm.publishableKey ? { kind: "stripe", publishableKey: gateway.cardForm.publishableKey } : { kind: "unavailable" };
  return gateway.testControls ? { kind: "sandbox" } : { kind: "unavailable" };
}
