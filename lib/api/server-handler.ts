import { after } from "next/server";
import { env } from "@/lib/env";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { createApiHandler } from "./handle-request";
import { openApiDocument } from "./openapi";
import { createRateLimiter } from "./rate-limit";
import { API_ROUTES } from "./routes";

let document: unknown;

/** The API as the Next.js server runs it: the process's database and the configured platform (gateways, real clock). */
export const serverApiHandler = createApiHandler({
  database: getDatabase,
  platform: configuredPlatform,
  rateLimiter: createRateLimiter({ perSecond: env().KEIZOKU_API_RATE_PER_SECOND, burst: env().KEIZOKU_API_RATE_BURST }),
  runInBackground: (task) =>
    after(async () => {
      await task().catch((error: unknown) => console.error("api: background task failed", error));
    }),
  routes: API_ROUTES,
  publicDocuments: { "/openapi.json": () => (document ??= openApiDocument(API_ROUTES)) },
});
