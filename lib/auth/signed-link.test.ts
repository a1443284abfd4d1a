import { decodeJwt, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { cardUpdateUrl, receiptUrl } from "@/lib/mail/links";
import { signLinkToken, verifyLinkToken } from "./signed-link";

const SECRET = "a-test-secret-of-at-least-32-characters!";
const NOW = new Date("2027-03-01T00:00:00Z");
const IN_A_WEEK = new Date("2027-03-08T00:00:00Z");
const card = (expiresAt = IN_A_WEEK) => signLinkToken(SECRET, { purpose: "card_update", subject: "sub_1", merchantId: "mer_1", expiresAt });

describe("signed links", () => {
  it("opens the page of its purpose until it expires, naming the subject and the merchant", async () => {
    const token = await card();
    expect(await verifyLinkToken(SECRET, "card_update", token, NOW)).toEqual({ ok: true, subject: "sub_1", merchantId: "mer_1", expiresAt: IN_A_WEEK });
    expect(await verifyLinkToken(SECRET, "card_update", token, new Date(IN_A_WEEK.getTime() - 1000))).toMatchObject({ ok: true });
  });

  it("is a standard HS256 JWT: purpose as audience, subject, merchant and expiry as claims", async () => {
    const token = await card();
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    expect(decodeJwt(token)).toEqual({ iss: "keizoku", aud: "keizoku:card_update", sub: "sub_1", mid: "mer_1", exp: IN_A_WEEK.getTime() / 1000 });
  });

  it("is expired from its expiry on", async () => {
    const token = await card();
    expect(await verifyLinkToken(SECRET, "card_update", token, IN_A_WEEK)).toEqual({ ok: false, reason: "expired" });
    expect(await verifyLinkToken(SECRET, "card_update", token, new Date("2028-01-01T00:00:00Z"))).toEqual({ ok: false, reason: "expired" });
  });

  it("is single-purpose: a receipt token never opens the card page, nor the other way round", async () => {
    const receipt = await signLinkToken(SECRET, { purpose: "receipt", subject: "in_1", merchantId: "mer_1", expiresAt: IN_A_WEEK });
    expect(await verifyLinkToken(SECRET, "card_update", receipt, NOW)).toEqual({ ok: false, reason: "wrong_purpose" });
    expect(await verifyLinkToken(SECRET, "receipt", await card(), NOW)).toEqual({ ok: false, reason: "wrong_purpose" });
    // Expired and of another purpose: the purpose is what the page cannot use it for, whatever the date.
    expect(await verifyLinkToken(SECRET, "card_update", receipt, new Date("2028-01-01T00:00:00Z"))).toEqual({ ok: false, reason: "wrong_purpose" });
  });

  it("refuses a tampered token as invalid, even when it claims a later expiry or another contract", async () => {
    const [header, , signature] = (await card()).split(".");
    const payload = (claims: object) => Buffer.from(JSON.stringify(claims)).toString("base64url");
    const base = { iss: "keizoku", aud: "keizoku:card_update", mid: "mer_1", exp: IN_A_WEEK.getTime() / 1000 };
    for (const claims of [{ ...base, sub: "sub_2" }, { ...base, sub: "sub_1", exp: 4_000_000_000 }, { ...base, sub: "sub_1", mid: "mer_2" }]) {
      expect(await verifyLinkToken(SECRET, "card_update", `${header}.${payload(claims)}.${signature}`, NOW)).toEqual({ ok: false, reason: "invalid" });
    }
    const token = await card();
    const flipped = `${token.slice(0, -2)}${token.at(-2) === "A" ? "B" : "A"}${token.at(-1)}`;
    expect(await verifyLinkToken(SECRET, "card_update", flipped, NOW)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a token signed with another secret, unsigned, or not a token at all, as invalid", async () => {
    const other = await signLinkToken("another-secret-of-at-least-32-characters", { purpose: "card_update", subject: "sub_1", merchantId: "mer_1", expiresAt: IN_A_WEEK });
    expect(await verifyLinkToken(SECRET, "card_update", other, NOW)).toEqual({ ok: false, reason: "invalid" });
    // An expired token of another secret is not "expired": only a token we signed is told apart.
    expect(await verifyLinkToken(SECRET, "card_update", other, new Date("2028-01-01T00:00:00Z"))).toEqual({ ok: false, reason: "invalid" });
    const [, payload] = (await card()).split(".");
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${payload}.`;
    for (const token of [unsigned, "", "abc", "a.b.c", "x".repeat(5000)]) {
      expect(await verifyLinkToken(SECRET, "card_update", token, NOW)).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("refuses a token of the right secret that lacks a claim (no merchant, no expiry, another issuer)", async () => {
    const key = new TextEncoder().encode(SECRET);
    const sign = (jwt: SignJWT) => jwt.setProtectedHeader({ alg: "HS256" }).sign(key);
    const noMerchant = await sign(new SignJWT({}).setIssuer("keizoku").setAudience("keizoku:card_update").setSubject("sub_1").setExpirationTime(IN_A_WEEK));
    const noExpiry = await sign(new SignJWT({ mid: "mer_1" }).setIssuer("keizoku").setAudience("keizoku:card_update").setSubject("sub_1"));
    const otherIssuer = await sign(new SignJWT({ mid: "mer_1" }).setIssuer("someone").setAudience("keizoku:card_update").setSubject("sub_1").setExpirationTime(IN_A_WEEK));
    for (const token of [noMerchant, noExpiry, otherIssuer]) expect(await verifyLinkToken(SECRET, "card_update", token, NOW)).toEqual({ ok: false, reason: "invalid" });
  });

  it("builds the mails' links: the card page and the receipt, each expiring ttlDays after the mail", async () => {
    const links = { baseUrl: "https://pay.example.jp", secret: SECRET, ttlDays: 7 };
    const cardUrl = new URL(await cardUpdateUrl(links, { merchantId: "mer_1", subscriptionId: "sub_1" }, NOW));
    expect(cardUrl.origin + cardUrl.pathname).toBe("https://pay.example.jp/mypage/card");
    expect(await verifyLinkToken(SECRET, "card_update", cardUrl.searchParams.get("token")!, NOW)).toEqual({ ok: true, subject: "sub_1", merchantId: "mer_1", expiresAt: IN_A_WEEK });
    const receipt = await receiptUrl({ ...links, ttlDays: 30 }, { merchantId: "mer_1", invoiceId: "in_1" }, NOW);
    expect(receipt).toMatch(/^https:\/\/pay\.example\.jp\/r\/[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await verifyLinkToken(SECRET, "receipt", receipt.split("/r/")[1]!, NOW)).toEqual({ ok: true, subject: "in_1", merchantId: "mer_1", expiresAt: new Date("2027-03-31T00:00:00Z") });
  });
});
