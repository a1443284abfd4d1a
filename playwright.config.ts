import { defineConfig, devices } from "@playwright/test";
import { env } from "./lib/env";
import { E2E_DATA_DIR, E2E_PORT } from "./e2e/server-env";

/**
 * Browser and API tests against the production build (`next build` first; `npm test` does both). scripts/test.ts
 * passes a free port and a fresh PGlite directory; run directly, the server uses port 3917 and a directory under
 * the system's temp folder (e2e/server-env.ts). Before `next start`, the web server command seeds the demo
 * merchant as `npm start` does, which writes the demo API key to <data dir>/demo-credentials.json.
 */
const e = env();
const port = E2E_PORT;
const dataDir = E2E_DATA_DIR;
const baseURL = `http://127.0.0.1:${port}`;

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
      // Browser downloads are impossible here: use Debian's Chromium (`apt-get install -y chromium`).
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // Seed first (it closes the PGlite directory again), then hand the shell over to the server.
    command: `node node_modules/tsx/dist/cli.mjs e2e/seed-server-data.ts && exec node node_modules/next/dist/bin/next start -p ${port}`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { KEIZOKU_DATA_DIR: dataDir, PORT: String(port) },
  },
});
