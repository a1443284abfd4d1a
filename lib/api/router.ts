import type { z } from "zod";
import type { ServiceContext } from "@/lib/services/context";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** What a route handler gets: the merchant-scoped service context and the validated request parts. */
export type ApiCall<Body, Query> = {
  ctx: ServiceContext;
  params: Record<string, string>;
  body: Body;
  query: Query;
  /** The request's Idempotency-Key header (POST only): handlers may key their own effects on it, so that a
   * request re-run after a crash finds what the first run started (e.g. the same invoice and gateway key). */
  idempotencyKey: string | null;
  /** Work that may finish after the response (a test clock's advance). */
  runInBackground(task: () => Promise<unknown>): void;
};

/** One endpoint: its path, schemas (which validate requests and document them in OpenAPI) and handler. */
export type ApiRoute = {
  method: HttpMethod;
  /** OpenAPI-style path under /api/v1, e.g. "/subscriptions/{id}/cancel". */
  path: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The object returned, for the OpenAPI document. */
  response: z.ZodType;
  status?: number;
  handler(call: ApiCall<never, never>): Promise<unknown>;
};

/** Declares a route with the handler typed by its schemas. */
export function route<B extends z.ZodType = z.ZodNever, Q extends z.ZodType = z.ZodNever>(
  definition: Omit<ApiRoute, "handler" | "body" | "query"> & { body?: B; query?: Q; handler(call: ApiCall<z.output<B>, z.output<Q>>): Promise<unknown> },
): ApiRoute {
  return definition as unknown as ApiRoute;
}

type Compiled = { route: ApiRoute; pattern: RegExp; names: string[] };

export function compileRoutes(routes: readonly ApiRoute[]): Compiled[] {
  return routes.map((r) => {
    const names: string[] = [];
    const source = r.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    return { route: r, pattern: new RegExp(`^${source}$`), names };
  });
}

export type Match = { route: ApiRoute; params: Record<string, string> } | { allowed: HttpMethod[] } | null;

/** The route for a method and path; or the methods the path does allow (for 405); or null (404). */
export function matchRoute(compiled: readonly Compiled[], method: string, path: string): Match {
  const allowed: HttpMethod[] = [];
  for (const c of compiled) {
    const m = c.pattern.exec(path);
    if (!m) continue;
    if (c.route.method !== method) {
      allowed.push(c.route.method);
      continue;
    }
    return { route: c.route, params: Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return allowed.length ? { allowed } : null;
}
