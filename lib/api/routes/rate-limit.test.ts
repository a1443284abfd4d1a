import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import type { Clock } from "@/lib/services/context";
import { createRateLimiter } from "../rate-limit";
import { setupTestApi } from "@/test/support/api";

describe("API: per-key rate limit", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("answers the request over the burst with 429, Retry-After and the error body, and does not run it", async () => {
    // A clock that stands still unless the test moves it: the budget does not refill between requests.
    let now = new Date();
    const clock: Clock = { now: () => new Date(now) };
    const api = await setupTestApi(database, { clock, rateLimiter: createRateLimiter({ perSecond: 1, burst: 3 }) });

    for (let i = 0; i < 3; i++) expect((await api.call("GET", "/products")).status).toBe(200);
    const refused = await api.call("POST", "/products", { name: "429 で作られない商品" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("content-type")).toContain("application/json");
    expect(refused.body).toEqual({ error: { type: "rate_limit_error", code: "rate_limit", message: expect.any(String), param: null } });

    // A second later one token is back: the refused POST created nothing.
    now = new Date(now.getTime() + 1_000);
    const list = await api.call("GET", "/products");
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
    expect((await api.call("GET", "/products")).status).toBe(429);
  });

  it("counts per key: another merchant's key keeps its own budget, and a bad key is 401 before any budget", async () => {
    const clock: Clock = { now: () => new Date("2027-01-10T03:00:00Z") };
    const rateLimiter = createRateLimiter({ perSecond: 1, burst: 1 });
    const a = await setupTestApi(database, { clock, rateLimiter });
    const b = await setupTestApi(database, { clock, rateLimiter });
    expect((await a.call("GET", "/products")).status).toBe(200);
    expect((await a.call("GET", "/products")).status).toBe(429);
    expect((await b.call("GET", "/products")).status).toBe(200);
    const unknown = await a.call("GET", "/products", undefined, {}, "sk_test_not_a_key");
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.type).toBe("authentication_error");
  });
});
