import { z } from "zod";

/** The one place that reads process.env: every setting, validated, with the embedded defaults. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  KEIZOKU_DATA_DIR: z.string().default(".data"),
  /**
   * The embedded database when DATABASE_URL is unset: a PostgreSQL server of our own on KEIZOKU_DATA_DIR/postgres
   * (shared by the server and the CLI), or PGlite in KEIZOKU_DATA_DIR (one process at a time).
   */
  KEIZOKU_EMBEDDED_DATABASE: z.enum(["postgres", "pglite"]).default("postgres"),
  PORT: z.coerce.number().int().positive().default(3000),
  /** "embedded" runs due actions in-process; "off" leaves them to another process. */
  KEIZOKU_RUNNER: z.enum(["embedded", "off"]).optional(),
  KEIZOKU_RUNNER_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  /** Due actions claimed per batch; a batch's charges are opened and settled together. */
  KEIZOKU_RUNNER_BATCH: z.coerce.number().int().positive().default(200),
  /** Gateway calls in flight at once within a batch. */
  KEIZOKU_RUNNER_CONCURRENCY: z.coerce.number().int().positive().default(100),
  /** Batches a runner works on side by side (on PostgreSQL; PGlite is one connection and takes one). */
  KEIZOKU_RUNNER_LANES: z.coerce.number().int().positive().default(3),
  KEIZOKU_LEASE_SECONDS: z.coerce.number().int().positive().default(60),
  /** Contracts in each status that the demo merchant gets on first start (scripts/demo); the e2e server uses fewer. */
  KEIZOKU_DEMO_CONTRACTS_PER_STATUS: z.coerce.number().int().min(1).max(5000).default(200),
  INNGEST_DEV: z.string().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  /**
   * A single-merchant install's Stripe account: used for every merchant that has not entered keys of its own in the
   * console (billing settings). Per-merchant keys are kept encrypted with KEIZOKU_ENCRYPTION_KEY.
   */
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** 32 bytes (openssl rand -base64 32) sealing secrets at rest (lib/crypto); required on a public deployment. */
  KEIZOKU_ENCRYPTION_KEY: z.string().optional(),
  RESEND_API_KEY: z.string().optional(),
  /** Read by the resend SDK itself: another address for Resend's API (tests and the mail benchmark use a local stand-in). */
  RESEND_BASE_URL: z.string().url().optional(),
  /** Verifies Resend's webhooks (svix, "whsec_…"); without it /api/webhooks/resend refuses every request. */
  RESEND_WEBHOOK_SECRET: z.string().optional(),
  /** The address mails are sent from; the merchant's sender name is put in front of it. */
  KEIZOKU_MAIL_FROM: z.string().email().default("no-reply@keizoku.test"),
  /** Mails handed to the provider per request (Resend's batch endpoint takes at most 100). */
  KEIZOKU_MAIL_BATCH: z.coerce.number().int().min(1).max(100).default(100),
  /** How long the signed links in mails (card update, receipts) stay valid. */
  KEIZOKU_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Signs staff sessions and mails' links; made and kept in KEIZOKU_DATA_DIR/auth-secret when unset (lib/auth/auth-secret.ts). */
  AUTH_SECRET: z.string().optional(),
  /** next-auth's own setting, read by next-auth itself: this site's address; KEIZOKU_BASE_URL by default. */
  NEXTAUTH_URL: z.string().url().optional(),
  /** Requests per second per API key, and the burst a key may use at once. */
  KEIZOKU_API_RATE_PER_SECOND: z.coerce.number().positive().default(100),
  KEIZOKU_API_RATE_BURST: z.coerce.number().int().positive().default(200),
  /** Where mails' links point; defaults to this server. */
  KEIZOKU_BASE_URL: z.string().url().optional(),
  NODE_ENV: z.string().optional(),
  /** `npm test`: the server on which each run creates (and drops) a fresh `keizoku_test_*` database. */
  TEST_POSTGRES_URL: z.string().url().default("postgres://postgres@127.0.0.1:5432/postgres"),
  /** Playwright: the port and the PGlite data directory of the server it starts (scripts/test.ts sets both). */
  KEIZOKU_E2E_PORT: z.coerce.number().int().positive().optional(),
  KEIZOKU_E2E_DATA_DIR: z.string().optional(),
  /** Playwright: the port of its Resend stand-in, where the server under test delivers mails. */
  KEIZOKU_E2E_MAIL_PORT: z.coerce.number().int().positive().optional(),
  /** Set by CI systems (any non-empty value). */
  CI: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  cached ??= envSchema.parse(process.env);
  return cached;
}

/**
 * A deployment people reach from elsewhere: KEIZOKU_BASE_URL names a host other than this machine. There a secret made
 * on first start (lib/auth/auth-secret.ts) is refused: several servers would not share it, and it is not managed.
 */
export function publicDeployment(e: Env = env()): boolean {
  if (!e.KEIZOKU_BASE_URL) return false;
  const host = new URL(e.KEIZOKU_BASE_URL).hostname;
  return !["localhost", "127.0.0.1", "[::1]", "::1"].includes(host) && !host.endsWith(".localhost");
}

export function inngestConfigured(e: Env = env()): boolean {
  return Boolean(e.INNGEST_DEV || e.INNGEST_EVENT_KEY);
}

export function baseUrl(e: Env = env()): string {
  return e.KEIZOKU_BASE_URL ?? `http://localhost:${e.PORT}`;
}

/**
 * next-auth reads its settings from process.env itself: its address defaults to this server's (baseUrl), so that the
 * console works on the embedded defaults without a setting of its own.
 */
export function applyNextAuthDefaults(e: Env = env()): void {
  process.env.NEXTAUTH_URL ??= e.NEXTAUTH_URL ?? baseUrl(e);
}

/**
 * The environment for a child process: this process's variables with some replaced, or removed where the
 * value is undefined (scripts that start servers, test runs and builds).
 */
export function childEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}
