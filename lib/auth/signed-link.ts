import { errors, jwtVerify, SignJWT } from "jose";

/**
 * Signed links let an end user open a page from a mail without a password: the card page of their contract, or the
 * receipt of a paid invoice, the page that authenticates a charge the issuer would take only with the customer
 * present (payment_authentication, of an invoice). A link's token is an HS256 JWT (jose) signed with AUTH_SECRET (through the platform)
 * that binds one purpose (the audience: a receipt token never opens the card page), a subject (the contract or the
 * invoice), the merchant and an expiry. The checkout page holds one more kind (`checkout_continuation`): a sign-up
 * whose first charge was declined, so that the next card pays that contract instead of starting another; and
 * `checkout_customer`: the new customer whose card waits for 3-D Secure, so that the card sent again after the
 * challenge is set up for the same customer (at Stripe, the same Customer and the same SetupIntent). A staff
 * invitation's link (`staff_invitation`) names the invitation, whose row decides whether it still opens. A 後払い
 * buyer's invoice link (`atobarai_invoice`) names the order whose invoice PDF it opens.
 */
export const LINK_PURPOSES = ["card_update", "receipt", "payment_authentication", "checkout_continuation", "checkout_customer", "staff_invitation", "atobarai_invoice"] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export type LinkClaims = { purpose: LinkPurpose; subject: string; merchantId: string; expiresAt: Date };

/** Why a token opens nothing; pages say which (without telling what it was for), and reveal nothing else. */
export type LinkRefusal = "expired" | "invalid" | "wrong_purpose";
export type LinkVerification = { ok: true; subject: string; merchantId: string; expiresAt: Date } | { ok: false; reason: LinkRefusal };

const ISSUER = "keizoku";
const audienceOf = (purpose: LinkPurpose) => `keizoku:${purpose}`;

// Importing the HMAC key costs more than signing with it, and a bill run signs a link for every receipt mail.
const keys = new Map<string, Promise<CryptoKey>>();
function keyOf(secret: string): Promise<CryptoKey> {
  if (!secret) throw new Error("The secret that signs links is empty");
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

export async function signLinkToken(secret: string, claims: LinkClaims): Promise<string> {
  return new SignJWT({ mid: claims.merchantId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(audienceOf(claims.purpose))
    .setSubject(claims.subject)
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .sign(await keyOf(secret));
}

/**
 * Whether a token opens a page of this purpose at `now`. Only a token whose signature holds is ever called expired or
 * of the wrong purpose; anything else (tampered, another secret, not a token at all) is invalid.
 */
export async function verifyLinkToken(secret: string, purpose: LinkPurpose, token: string, now: Date): Promise<LinkVerification> {
  if (typeof token !== "string" || token.length === 0 || token.length > 2000) return { ok: false, reason: "invalid" };
  let payload;
  try {
    ({ payload } = await jwtVerify(token, await keyOf(secret), { algorithms: ["HS256"], issuer: ISSUER, currentDate: now, requiredClaims: ["exp", "sub", "aud"] }));
  } catch (error) {
    // jose checks the signature before the claims, so an expired token's payload is the signer's.
    if (error instanceof errors.JWTExpired) return { ok: false, reason: error.payload.aud === audienceOf(purpose) ? "expired" : "wrong_purpose" };
    return { ok: false, reason: "invalid" };
  }
  if (payload.aud !== audienceOf(purpose)) return { ok: false, reason: "wrong_purpose" };
  if (typeof payload.mid !== "string" || !payload.mid || !payload.sub) return { ok: false, reason: "invalid" };
  return { ok: true, subject: payload.sub, merchantId: payload.mid, expiresAt: new Date(payload.exp! * 1000) };
}
