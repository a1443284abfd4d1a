import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Env } from "@/lib/env";
import { secretBox } from "./encryption-key";
import { createSecretBox, parseEncryptionKey, SecretBoxError } from "./secret-box";

const env = (values: Partial<Env>): Env => ({ KEIZOKU_DATA_DIR: mkdtempSync(path.join(tmpdir(), "kz-secret-")), ...values }) as Env;

describe("sealed secrets (AES-256-GCM)", () => {
  const box = createSecretBox(Buffer.alloc(32, 1));

  it("open to what was sealed, with a fresh IV each time and the key id in the clear", () => {
    const a = box.seal("sk_live_abc", "ctx");
    const b = box.seal("sk_live_abc", "ctx");
    expect(a).not.toBe(b);
    expect(a).not.toContain("sk_live");
    expect(a.split(".")).toHaveLength(5);
    expect(a.startsWith(`kz1.${box.keyId}.`)).toBe(true);
    expect(box.open(a, "ctx")).toBe("sk_live_abc");
  });

  it("do not open for another row, with another key, or altered", () => {
    const sealed = box.seal("sk_live_abc", "stripe_credentials:mer_1:secretKey");
    expect(() => box.open(sealed, "stripe_credentials:mer_2:secretKey")).toThrow(SecretBoxError);
    expect(() => createSecretBox(Buffer.alloc(32, 2)).open(sealed, "stripe_credentials:mer_1:secretKey")).toThrow(/another key/);
    const parts = sealed.split(".");
    parts[4] = Buffer.from("sk_live_xyz").toString("base64url");
    expect(() => box.open(parts.join("."), "stripe_credentials:mer_1:secretKey")).toThrow(SecretBoxError);
    expect(() => box.open("plaintext", "ctx")).toThrow(/format/);
  });

  it("take a key as 64 hex digits or base64 of 32 bytes, nothing else", () => {
    expect(parseEncryptionKey("ab".repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(Buffer.alloc(32, 9).toString("base64"))).toHaveLength(32);
    expect(() => parseEncryptionKey("too-short")).toThrow(/32 bytes/);
  });
});

describe("the server's encryption key", () => {
  it("is refused missing on a public deployment (production)", () => {
    expect(() => secretBox(env({ KEIZOKU_BASE_URL: "https://billing.example.jp" }))).toThrow(/KEIZOKU_ENCRYPTION_KEY is not set/);
  });

  it("comes from KEIZOKU_ENCRYPTION_KEY when set", () => {
    const key = Buffer.alloc(32, 5).toString("base64");
    const box = secretBox(env({ KEIZOKU_BASE_URL: "https://billing.example.jp", KEIZOKU_ENCRYPTION_KEY: key }));
    expect(box.keyId).toBe(createSecretBox(Buffer.alloc(32, 5)).keyId);
  });

  it("is a development key kept in the data directory elsewhere, the same on every start", () => {
    const e = env({});
    const box = secretBox(e);
    const stored = readFileSync(path.join(e.KEIZOKU_DATA_DIR, "encryption-key"), "utf8").trim();
    expect(box.keyId).toBe(createSecretBox(parseEncryptionKey(stored)).keyId);
    expect(secretBox({ ...e }).open(box.seal("x", "c"), "c")).toBe("x");
  });
});
