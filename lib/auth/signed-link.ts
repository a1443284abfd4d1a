import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed links let an end user open their card page from a mail without a password. The token binds a purpose, a
 * subject (the contract) and an expiry, signed with the caller's secret (AUTH_SECRET, through the platform).
 */
export function signLinkToken(secret: string, purpose: string, subject: string, expiresAt: Date): string {
  const body = `${purpose}.${subject}.${Math.floor(expiresAt.getTime() / 1000)}`;
  const mac = createHmac("sha256", secret).update(body).digest("base64url");
  return `${Buffer.from(body).toString("base64url")}.${mac}`;
}

export function verifyLinkToken(secret: string, purpose: string, token: string, now: Date): string | null {
  const [encoded, mac] = token.split(".");
  if (!encoded || !mac) return null;
  const body = Buffer.from(encoded, "base64url").toString();
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [tokenPurpose, subject, expires] = body.split(".");
  if (tokenPurpose !== purpose || !subject || Number(expires) * 1000 < now.getTime()) return null;
  return subject;
}
