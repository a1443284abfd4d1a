import { and, eq, gt } from "drizzle-orm";
import { customers, customerSessions, merchants } from "@/db/schema";
import { newId } from "@/lib/ids";
import { hashToken, newSecretToken } from "@/lib/mypage/secret-token";
import type { Platform } from "../context";

/** How long a mypage session lasts after sign-in; its cookie lives as long. */
export const CUSTOMER_SESSION_DAYS = 30;
/** last_seen_at is written at most this often, so that browsing is not a write per page. */
const SEEN_EVERY_MS = 5 * 60_000;

export type CustomerSession = {
  sessionId: string;
  merchantId: string;
  customerId: string;
  customer: { name: string; email: string; locale: "ja" | "en" };
  merchant: { name: string; timeZone: string };
};

/** A new session for a customer who proved who they are; the token goes in the cookie, its hash in the table. */
export async function startCustomerSession(platform: Pick<Platform, "db" | "clock">, who: { merchantId: string; customerId: string }): Promise<{ token: string; expiresAt: Date }> {
  const now = platform.clock.now();
  const token = newSecretToken();
  const expiresAt = new Date(now.getTime() + CUSTOMER_SESSION_DAYS * 86_400_000);
  await platform.db.insert(customerSessions).values({ id: newId("tok"), tokenHash: hashToken(token), merchantId: who.merchantId, customerId: who.customerId, expiresAt, createdAt: now, lastSeenAt: now });
  return { token, expiresAt };
}

/**
 * The session a cookie's token names, for this merchant only (a session of another merchant's mypage is no session
 * here), unexpired; null otherwise. Staff sessions are another cookie and another table: they never get here.
 */
export async function readCustomerSession(platform: Pick<Platform, "db" | "clock">, merchantId: string, token: string): Promise<CustomerSession | null> {
  if (!token) return null;
  const now = platform.clock.now();
  const [row] = await platform.db
    .select({ session: customerSessions, customer: { name: customers.name, email: customers.email, locale: customers.locale }, merchant: { name: merchants.name, timeZone: merchants.timeZone } })
    .from(customerSessions)
    .innerJoin(customers, and(eq(customers.id, customerSessions.customerId), eq(customers.merchantId, customerSessions.merchantId)))
    .innerJoin(merchants, eq(merchants.id, customerSessions.merchantId))
    .where(and(eq(customerSessions.tokenHash, hashToken(token)), eq(customerSessions.merchantId, merchantId), gt(customerSessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  if (now.getTime() - row.session.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    await platform.db.update(customerSessions).set({ lastSeenAt: now }).where(eq(customerSessions.id, row.session.id));
  }
  return { sessionId: row.session.id, merchantId: row.session.merchantId, customerId: row.session.customerId, customer: row.customer, merchant: row.merchant };
}

/** Sign-out: the session is gone, whatever copies of the cookie exist. */
export async function endCustomerSession(platform: Pick<Platform, "db">, token: string): Promise<void> {
  if (!token) return;
  await platform.db.delete(customerSessions).where(eq(customerSessions.tokenHash, hashToken(token)));
}

/** Every session of a customer ends (a password reset). */
export async function endAllCustomerSessions(platform: Pick<Platform, "db">, who: { merchantId: string; customerId: string }): Promise<void> {
  await platform.db.delete(customerSessions).where(and(eq(customerSessions.merchantId, who.merchantId), eq(customerSessions.customerId, who.customerId)));
}
