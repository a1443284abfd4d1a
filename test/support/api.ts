import type { Database } from "@/db/client";
import { type Clock, systemClock } from "@/lib/services/context";
import { createMerchant } from "@/lib/services/create-merchant";
import { createApiHandler } from "@/lib/api/handle-request";
import { openApiDocument } from "@/lib/api/openapi";
import { createRateLimiter, type RateLimiter } from "@/lib/api/rate-limit";
import { API_ROUTES } from "@/lib/api/routes";
import { testPlatform } from "./platform";

// Tests walk response JSON freely; each assertion states the shape it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiResponse = { status: number; body: any; headers: Headers };

/**
 * The real API handler on a test database, called with real Request objects (no HTTP server needed); the
 * end-to-end tests drive the same handler through `next start`.
 */
export async function setupTestApi(database: Database, options: { clock?: Clock; rateLimiter?: RateLimiter } = {}) {
  const background: Promise<unknown>[] = [];
  const handler = createApiHandler({
    database: async () => database,
    platform: (d) => testPlatform(d.db, { clock: options.clock ?? systemClock }),
    rateLimiter: options.rateLimiter ?? createRateLimiter({ perSecond: 10_000, burst: 10_000 }),
    runInBackground: (task) => void background.push(task()),
    routes: API_ROUTES,
    publicDocuments: { "/openapi.json": () => openApiDocument(API_ROUTES) },
  });
  const email = `owner-${crypto.randomUUID()}@merchant.test`;
  const { merchantId, secretKey } = await createMerchant({ db: database.db, actor: { type: "operator", id: "test" }, clock: systemClock }, { name: "API テスト商店", email, password: "password-123" });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, key: string | null = secretKey): Promise<ApiResponse> {
    const request = new Request(`http://localhost/api/v1${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const response = await handler(request);
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  /** A GET that must answer 200: its body (a test fails here, with the answer, if it does not). */
  async function getOk(path: string): Promise<ApiResponse["body"]> {
    const r = await call("GET", path);
    if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  return {
    merchantId,
    secretKey,
    call,
    getOk,
    /** Waits for work the handler left running after its response (a test clock's advance). */
    settle: async () => {
      while (background.length) await background.shift();
    },
  };
}
