import { createHash } from "node:crypto";
import { randomBase62 } from "./random";

export const SECRET_KEY_PREFIX = "sk_";
const SECRET_KEY_RANDOM_LENGTH = 32;
/** How much of a key the console shows so that a merchant can tell keys apart ("sk_" + 9 characters). */
export const DISPLAY_PREFIX_LENGTH = 12;

export type GeneratedSecretKey = {
  /** The key itself: shown once to the merchant, never stored. */
  secretKey: string;
  /** sha256 hex of the key: what api_keys.key_hash stores and what a request's key is looked up by. */
  keyHash: string;
  displayPrefix: string;
};

export function generateSecretKey(): GeneratedSecretKey {
  const secretKey = `${SECRET_KEY_PREFIX}${randomBase62(SECRET_KEY_RANDOM_LENGTH)}`;
  return { secretKey, keyHash: hashSecretKey(secretKey), displayPrefix: secretKey.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/**
 * A fast hash is right here (unlike passwords): the key carries 190 bits of randomness, so a
 * lookup by sha256 cannot be brute-forced, and every API request must be able to afford it.
 */
export function hashSecretKey(secretKey: string): string {
  return createHash("sha256").update(secretKey, "utf8").digest("hex");
}

/** Whether a string has the shape of a secret key (cheap check before any database lookup). */
export function looksLikeSecretKey(value: string): boolean {
  return new RegExp(`^${SECRET_KEY_PREFIX}[0-9A-Za-z]{${SECRET_KEY_RANDOM_LENGTH}}$`).test(value);
}
