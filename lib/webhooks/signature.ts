import { createHmac, randomBytes } from "node:crypto";

export const SIGNATURE_HEADER = "Keizoku-Signature";

/** A new endpoint secret: `whsec_` and 32 random bytes, base64url. */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe signs its webhooks. */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}
