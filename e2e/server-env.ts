import { tmpdir } from "node:os";
import path from "node:path";
import { env } from "../lib/env";

/**
 * Where the Playwright server listens and keeps its data. scripts/test.ts passes a free port and a fresh data
 * directory; run directly, the server uses port 3917 and a directory under the system's temp folder.
 * playwright.config.ts starts the server with these; the API tests read the demo credentials from the directory.
 */
const e = env();
export const E2E_PORT = e.KEIZOKU_E2E_PORT ?? 3917;
export const E2E_DATA_DIR = e.KEIZOKU_E2E_DATA_DIR ?? path.join(tmpdir(), "keizoku-e2e");
export const E2E_MAIL_PORT = e.KEIZOKU_E2E_MAIL_PORT ?? E2E_PORT + 1;
export const E2E_MAIL_URL = `http://127.0.0.1:${E2E_MAIL_PORT}`;
