import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env, type Env, publicDeployment } from "@/lib/env";
import { createSecretBox, parseEncryptionKey, type SecretBox } from "./secret-box";

let cached: { dataDir: string; box: SecretBox } | undefined;

/**
 * The box that seals secrets at rest, keyed by KEIZOKU_ENCRYPTION_KEY. A public deployment (KEIZOKU_BASE_URL names
 * another host: what this project calls production, as for AUTH_SECRET) without it is refused at start-up. Elsewhere
 * — a laptop, the demo, tests — a development key is made on first use and kept in KEIZOKU_DATA_DIR/encryption-key,
 * next to the data it opens: it protects nothing against someone holding that folder, which is why production needs
 * its own key, kept away from the database.
 */
export function secretBox(e: Env = env()): SecretBox {
  if (e.KEIZOKU_ENCRYPTION_KEY) return createSecretBox(parseEncryptionKey(e.KEIZOKU_ENCRYPTION_KEY));
  if (publicDeployment(e)) {
    throw new Error(
      `KEIZOKU_ENCRYPTION_KEY is not set: it encrypts merchants' gateway keys in the database, and ${e.KEIZOKU_BASE_URL} is a public deployment. Set it to 32 random bytes (openssl rand -base64 32) and keep it out of the database's backups.`,
    );
  }
  if (cached?.dataDir === e.KEIZOKU_DATA_DIR) return cached.box;
  cached = { dataDir: e.KEIZOKU_DATA_DIR, box: createSecretBox(parseEncryptionKey(developmentKey(e.KEIZOKU_DATA_DIR))) };
  return cached.box;
}

function developmentKey(dataDir: string): string {
  const file = path.resolve(dataDir, "encryption-key");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const key = randomBytes(32).toString("base64");
    try {
      // "wx": of two processes starting at once, one writes and the other reads what it wrote.
      writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
      return key;
    } catch {
      return readFileSync(file, "utf8").trim();
    }
  }
}
