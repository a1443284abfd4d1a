import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Secrets kept in the database (a merchant's Stripe keys) are sealed with AES-256-GCM. One sealed value is
 *
 *   kz1.<key id>.<iv>.<auth tag>.<ciphertext>      (iv, tag and ciphertext base64url; iv 12 bytes, tag 16 bytes)
 *
 * `kz1` is the format's version; the key id is the first 8 hex digits of SHA-256 of the key, so that a value sealed
 * with another key (a rotated or mistyped KEIZOKU_ENCRYPTION_KEY) is told apart from a tampered one. The caller's
 * `context` (say "stripe_credentials:<merchant>:secret_key") is authenticated with the value, so a sealed value copied
 * to another merchant's row or another column does not open.
 */
export type SecretBox = {
  readonly keyId: string;
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
};

const VERSION = "kz1";

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** A 32-byte key, given as 64 hex digits or base64/base64url (openssl rand -base64 32). */
export function parseEncryptionKey(value: string): Buffer {
  const text = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new SecretBoxError("KEIZOKU_ENCRYPTION_KEY must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)");
  return key;
}

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretBoxError("An AES-256-GCM key is 32 bytes");
  const keyId = keyIdOf(key);
  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [VERSION, keyId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
    },
    open(sealed, context) {
      const parts = sealed.split(".");
      if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError("Not a sealed value of a known format");
      if (parts[1] !== keyId) throw new SecretBoxError(`Sealed with another key (key id ${parts[1]}, this server's is ${keyId}): KEIZOKU_ENCRYPTION_KEY was changed`);
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(parts[2]!, "base64url"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(parts[3]!, "base64url"));
      try {
        return Buffer.concat([decipher.update(Buffer.from(parts[4]!, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretBoxError("The sealed value does not open: altered, or sealed for another row");
      }
    },
  };
}
