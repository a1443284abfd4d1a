import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { type CustomerTokenPurpose, customers, customerTokens } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { hashToken } from "@/lib/mypage/secret-token";
import type { Platform } from "../context";
import { recordAudit } from "../internal/audit";
import { endAllCustomerSessions, startCustomerSession } from "./customer-sessions";

type TokenRow = typeof customerTokens.$inferSelect;

/** Whether a mailed token is still good, without using it (the confirmation page shows this before the POST). */
export async function peekCustomerToken(platform: Pick<Platform, "db" | "clock">, merchantId: string, purpose: CustomerTokenPurpose, token: string): Promise<"valid" | "invalid"> {
  if (!token) return "invalid";
  const [row] = await platform.db
    .select({ id: customerTokens.id })
    .from(customerTokens)
    .where(and(eq(customerTokens.tokenHash, hashToken(token)), eq(customerTokens.merchantId, merchantId), eq(customerTokens.purpose, purpose), isNull(customerTokens.usedAt), gt(customerTokens.expiresAt, platform.clock.now())));
  return row ? "valid" : "invalid";
}

/** Uses a token up in one statement, so that two presses (or two tabs) cannot both use it. */
async function spendToken(db: Platform["db"], merchantId: string, purpose: CustomerTokenPurpose, token: string, now: Date): Promise<TokenRow | null> {
  if (!token) return null;
  const [row] = await db
    .update(customerTokens)
    .set({ usedAt: now })
    .where(and(eq(customerTokens.tokenHash, hashToken(token)), eq(customerTokens.merchantId, merchantId), eq(customerTokens.purpose, purpose), isNull(customerTokens.usedAt), gt(customerTokens.expiresAt, now)))
    .returning();
  return row ?? null;
}

const redeemInput = z.object({ merchantId: z.string().min(1).max(100), token: z.string().max(200) });

/** The sign-in link's POST: a session, once per link, within its 15 minutes. */
export async function signInWithLink(platform: Pick<Platform, "db" | "clock">, input: z.input<typeof redeemInput>): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false }> {
  const parsed = redeemInput.safeParse(input);
  if (!parsed.success) return { ok: false };
  const now = platform.clock.now();
  const used = await spendToken(platform.db, parsed.data.merchantId, "sign_in", parsed.data.token, now);
  if (!used) return { ok: false };
  await recordAudit(platform.db, { merchantId: used.merchantId, actor: { type: "customer", id: used.customerId } }, { action: "customer.signed_in", targetType: "customer", targetId: used.customerId, data: { method: "mail_link" }, at: now });
  return { ok: true, ...(await startCustomerSession(platform, { merchantId: used.merchantId, customerId: used.customerId })) };
}

export const resetPasswordInput = redeemInput.extend({ password: z.string().min(8).max(1024) });

/** A new password from a reset link: every other session ends, and the customer is signed in with a new one. */
export async function resetCustomerPassword(
  platform: Pick<Platform, "db" | "clock">,
  input: z.input<typeof resetPasswordInput>,
): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false; reason: "invalid_token" | "weak_password" }> {
  const parsed = resetPasswordInput.safeParse(input);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.some((i) => i.path[0] === "password") ? "weak_password" : "invalid_token" };
  const now = platform.clock.now();
  const passwordHash = await hashPassword(parsed.data.password);
  const used = await spendToken(platform.db, parsed.data.merchantId, "password_reset", parsed.data.token, now);
  if (!used) return { ok: false, reason: "invalid_token" };
  const who = { merchantId: used.merchantId, customerId: used.customerId };
  await platform.db.update(customers).set({ passwordHash }).where(and(eq(customers.id, used.customerId), eq(customers.merchantId, used.merchantId)));
  await endAllCustomerSessions(platform, who);
  await recordAudit(platform.db, { merchantId: used.merchantId, actor: { type: "customer", id: used.customerId } }, { action: "customer.password_reset", targetType: "customer", targetId: used.customerId, at: now });
  return { ok: true, ...(await startCustomerSession(platform, who)) };
}

/**
 * The new address's confirmation link: the email changes once the customer proves they read mail there. Another
 * customer of the merchant holding the address by then stops it (a customer's email is unique per merchant).
 */
export async function confirmEmailChange(platform: Pick<Platform, "db" | "clock">, input: z.input<typeof redeemInput>): Promise<{ ok: true; email: string } | { ok: false; reason: "invalid_token" | "taken" }> {
  const parsed = redeemInput.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid_token" };
  const now = platform.clock.now();
  return platform.db.transaction(async (tx) => {
    const used = await spendToken(tx, parsed.data.merchantId, "email_change", parsed.data.token, now);
    if (!used?.newEmail) return { ok: false as const, reason: "invalid_token" as const };
    const [taken] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.merchantId, used.merchantId), ne(customers.id, used.customerId), sql`lower(${customers.email}) = ${used.newEmail.toLowerCase()}`));
    if (taken) return { ok: false as const, reason: "taken" as const };
    await tx.update(customers).set({ email: used.newEmail }).where(and(eq(customers.id, used.customerId), eq(customers.merchantId, used.merchantId)));
    await recordAudit(tx, { merchantId: used.merchantId, actor: { type: "customer", id: used.customerId } }, { action: "customer.email_changed", targetType: "customer", targetId: used.customerId, data: { email: used.newEmail }, at: now });
    return { ok: true as const, email: used.newEmail };
  });
}
