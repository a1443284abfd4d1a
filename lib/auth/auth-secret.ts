import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env, type Env, publicDeployment } from "@/lib/env";

let cached: string | undefined;

/**
 * The secret that signs staff sessions and mails' links: AUTH_SECRET, or else one made on first use and kept in
 * KEIZOKU_DATA_DIR/auth-secret, so that a laptop or the demo needs no setting and sessions survive restarts. Several
 * servers behind one address must share AUTH_SECRET (README, Deploying).
 */
export function authSecret(e: Env = env()): string {
  if (e.AUTH_SECRET) {
    if (publicDeployment(e) && e.AUTH_SECRET.length < 32) throw new Error("AUTH_SECRET is too short for a public deployment: use at least 32 random characters (openssl rand -base64 32)");
    return e.AUTH_SECRET;
  }
  if (publicDeployment(e)) {
    throw new Error(`AUTH_SECRET is not set: it signs staff sessions and the links in mails, and ${e.KEIZOKU_BASE_URL} is a public deployment. Set it to at least 32 random characters (openssl rand -base64 32).`);
  }
  if (cached) return cached;
  const file = path.resolve(e.KEIZOKU_DATA_DIR, "auth-secret");
  try {
    cached = readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      // "wx": of two processes starting at once, one writes and the other reads what it wrote.
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
      cached = secret;
    } catch {
      cached = readFileSync(file, "utf8").trim();
    }
  }
  if (!cached) throw new Error(`${file} is empty: delete it or set AUTH_SECRET`);
  return cached;
}
