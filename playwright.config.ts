import { defineConfig, devices } from "@playwright/test";
import { env } from "./lib/env";
import { E2E_DATA_DIR, E2E_MAIL_PORT, E2E_MAIL_URL, E2E_PORT } from "./e2e/server-env";
import { findChromium, NO_CHROMIUM_HELP } from "./test/support/chromium";

/**
 * Browser and API tests against the production build (`next build` first; `npm test` does both). scripts/test.ts
 * passes a free port and a fresh data directory; run directly, the server uses port 3917 and a directory under
 * the system's temp folder (e2e/server-env.ts). Before `next start`, the web server command seeds the demo
 * merchant as `npm start` does, which writes the demo API key to <data dir>/demo-credentials.json.
 */
const e = env();
// The test workers open the server's database (e2e/support/fixtures.ts) and sign mails' links as the server does.
process.env.KEIZOKU_DATA_DIR = E2E_DATA_DIR;
const port = E2E_PORT;
const dataDir = E2E_DATA_DIR;
const baseURL = `http://127.0.0.1:${port}`;
// Mails written by a test worker (advancing a test clock, say) link to the server under test, as the server's own do.
process.env.KEIZOKU_BASE_URL = baseURL;
// Debian's /usr/bin/chromium, or Playwright's own download; without either, say so instead of failing to launch.
const browser = findChromium();
if (!browser) throw new Error(NO_CHROMIUM_HELP);

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(e.CI),
  reporter: "list",
  timeout: 30_000,
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: browser.path,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [
    // Signs each staff role in once and saves the browser state the console tests start from.
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...devices["Desktop Chrome"] } },
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, dependencies: ["setup"] },
  ],
  webServer: [
    {
      // Resend cannot be reached from here: the server delivers its mails through the official SDK to this stand-in.
      command: `node node_modules/tsx/dist/cli.mjs e2e/resend-stand-in-server.ts ${E2E_MAIL_PORT}`,
      url: `${E2E_MAIL_URL}/_stand-in/messages`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
    },
    {
      // Seed first (it closes the database again), then hand the shell over to the server. The server's embedded
      // PostgreSQL server (lib/runtime.ts) starts with it and stops when it exits on the SIGTERM below.
      command: `node node_modules/tsx/dist/cli.mjs e2e/seed-server-data.ts && exec node node_modules/next/dist/bin/next start -p ${port}`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      stdout: "pipe",
      stderr: "pipe",
      // A small demo (5 contracts per status instead of npm start's 200): it is seeded before every browser run, and
      // the tests seed what they look at themselves.
      env: {
        KEIZOKU_DATA_DIR: dataDir,
        PORT: String(port),
        KEIZOKU_BASE_URL: baseURL,
        KEIZOKU_DEMO_CONTRACTS_PER_STATUS: "5",
        RESEND_API_KEY: "re_e2e_stand_in",
        RESEND_BASE_URL: E2E_MAIL_URL,
      },
    },
  ],
});
