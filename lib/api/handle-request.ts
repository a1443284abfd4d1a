import type { Database } from "@/db/client";
import { authenticateApiKey } from "@/lib/auth/authenticate-api-key";
import type { Platform, ServiceContext } from "@/lib/services/context";
import { apiKeyContext } from "@/lib/services/contexts";
import { ApiError, fromZod, invalidRequest, toApiError } from "./errors";
import { requestFingerprint, withIdempotencyKey } from "./idempotency";
import type { RateLimiter } from "./rate-limit";
import { type ApiRoute, compileRoutes, matchRoute } from "./router";

export const API_PREFIX = "/api/v1";
export const MAX_BODY_BYTES = 1024 * 1024;

export type ApiDeps = {
  database(): Promise<Database>;
  /** The platform the request's service context is built on (gateways, clock, mail). */
  platform(database: Database): Platform;
  rateLimiter: RateLimiter;
  runInBackground(task: () => Promise<unknown>): void;
  routes: readonly ApiRoute[];
  /** Answers that need no key (the OpenAPI document). */
  publicDocuments?: Record<string, () => unknown>;
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

/** The REST API as one function of a Request: authentication, limits, validation, idempotency, errors. */
export function createApiHandler(deps: ApiDeps): (request: Request) => Promise<Response> {
  const compiled = compileRoutes(deps.routes);
  return async (request) => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "").slice(API_PREFIX.length) || "/";
    try {
      const document = request.method === "GET" ? deps.publicDocuments?.[path] : undefined;
      if (document) return json(200, document());
      const database = await deps.database();
      const platform = deps.platform(database);
      const principal = await authenticate(request, database, platform.clock.now());
      const budget = deps.rateLimiter.take(principal.apiKeyId, platform.clock.now().getTime());
      if (!budget.allowed) {
        const error = new ApiError(429, "rate_limit_error", "rate_limit", "Too many requests with this key; slow down");
        return json(429, error.body(), { "retry-after": String(budget.retryAfterSeconds) });
      }
      const match = matchRoute(compiled, request.method, path);
      if (!match) throw new ApiError(404, "invalid_request_error", "resource_missing", `Unrecognized request URL (${request.method} ${API_PREFIX}${path})`);
      if ("allowed" in match) {
        const error = new ApiError(405, "invalid_request_error", "method_not_allowed", `${request.method} is not allowed on ${API_PREFIX}${path}`);
        return json(405, error.body(), { allow: match.allowed.join(", ") });
      }
      const rawBody = request.method === "POST" || request.method === "PUT" ? await readBody(request) : "";
      const ctx = apiKeyContext(platform, principal);
      const execute = async () => {
        try {
          return { status: match.route.status ?? 200, body: await runRoute(match.route, match.params, rawBody, request, ctx, deps) };
        } catch (error) {
          const apiError = toApiError(error);
          if (apiError.status >= 500) console.error(`api: ${request.method} ${path} failed`, error);
          return { status: apiError.status, body: apiError.body() };
        }
      };
      const idempotencyKey = request.headers.get("idempotency-key");
      if (request.method === "POST" && idempotencyKey !== null) {
        const result = await withIdempotencyKey(
          database.db,
          { merchantId: principal.merchantId, key: idempotencyKey, fingerprint: requestFingerprint(request.method, path, rawBody), now: () => platform.clock.now() },
          execute,
        );
        return json(result.status, result.body, result.replayed ? { "idempotent-replayed": "true" } : {});
      }
      const result = await execute();
      return json(result.status, result.body);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status >= 500) console.error(`api: ${request.method} ${path} failed`, error);
      return json(apiError.status, apiError.body());
    }
  };
}

async function authenticate(request: Request, database: Database, now: Date) {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  if (!match) throw new ApiError(401, "authentication_error", "api_key_missing", "Provide your secret key as 'Authorization: Bearer sk_...'");
  const principal = await authenticateApiKey(database.db, match[1]!, now);
  if (!principal) throw new ApiError(401, "authentication_error", "api_key_invalid", "Invalid or revoked API key");
  return principal;
}

/** Reads at most 1 MB; a larger body is refused with 413 before it is parsed. */
async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const tooLarge = () => new ApiError(413, "invalid_request_error", "body_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes`);

async function runRoute(route: ApiRoute, params: Record<string, string>, rawBody: string, request: Request, ctx: ServiceContext, deps: ApiDeps): Promise<unknown> {
  let body: unknown = undefined;
  if (route.body) {
    let parsed: unknown = {};
    if (rawBody.trim()) {
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        throw invalidRequest("The request body is not valid JSON", null, "body_not_json");
      }
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalidRequest("The request body must be a JSON object", null, "body_not_object");
    // reportInput: an issue then carries its input, which tells a missing parameter from a wrong one (fromZod).
    const result = route.body.safeParse(parsed, { reportInput: true });
    if (!result.success) throw fromZod(result.error);
    body = result.data;
  }
  let query: unknown = undefined;
  if (route.query) {
    const result = route.query.safeParse(Object.fromEntries(new URL(request.url).searchParams), { reportInput: true });
    if (!result.success) throw fromZod(result.error);
    query = result.data;
  }
  const idempotencyKey = request.method === "POST" ? request.headers.get("idempotency-key") : null;
  return route.handler({ ctx, params, body: body as never, query: query as never, idempotencyKey, runInBackground: deps.runInBackground });
}
