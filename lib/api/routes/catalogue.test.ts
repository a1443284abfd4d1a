import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";

describe("API: products and plans", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
  });
  afterAll(async () => database.close());

  it("creates, retrieves and lists products newest first with a cursor", async () => {
    const created = [];
    for (const name of ["英会話", "ヨガ", "年会費"]) {
      const r = await api.call("POST", "/products", { name });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ object: "product", name, description: null, active: true });
      expect(r.body.id).toMatch(/^prod_/);
      created.push(r.body);
    }
    expect((await api.call("GET", `/products/${created[0].id}`)).body).toEqual(created[0]);
    const first = await api.call("GET", "/products?limit=2");
    expect(first.body).toMatchObject({ object: "list", has_more: true });
    expect(first.body.data.map((p: { name: string }) => p.name)).toEqual(["年会費", "ヨガ"]);
    const second = await api.call("GET", `/products?limit=2&starting_after=${first.body.data[1].id}`);
    expect(second.body.data.map((p: { name: string }) => p.name)).toEqual(["英会話"]);
    expect(second.body.has_more).toBe(false);
  });

  it("creates a plan with defaults and validates every field", async () => {
    const product = (await api.call("POST", "/products", { name: "月謝" })).body;
    const r = await api.call("POST", "/plans", { product: product.id, amount: 3100, interval: "month", billing_day: 25, first_period: "prorate" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ object: "plan", product: product.id, amount: 3100, currency: "jpy", interval: "month", billing_day: 25, first_period: "prorate", tax_behavior: "inclusive", tax_rate: 10, joining_fee: 0 });
    expect((await api.call("GET", `/plans/${r.body.id}`)).body).toEqual(r.body);

    const bad = [
      [{ product: product.id, amount: 10.5, interval: "month" }, "amount"],
      [{ product: product.id, amount: 100, interval: "fortnight" }, "interval"],
      [{ product: product.id, amount: 100, interval: "month", billing_day: 32 }, "billing_day"],
      [{ product: product.id, amount: 100, interval: "week", billing_day: 9 }, "billing_day"],
      [{ product: product.id, amount: 100, interval: "month", tax_rate: 5 }, "tax_rate"],
      [{ product: product.id, amount: 100, interval: "month", colour: "red" }, "colour"],
      [{ amount: 100, interval: "month" }, "product"],
    ] as const;
    for (const [body, param] of bad) {
      const res = await api.call("POST", "/plans", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ type: "invalid_request_error", param });
    }
    expect((await api.call("POST", "/plans", { product: "prod_nope", amount: 100, interval: "month" })).status).toBe(404);
  });

  it("updates and archives a product and retires a plan with the console's services; a retired plan stays retired", async () => {
    const product = (await api.call("POST", "/products", { name: "書道" })).body;
    const renamed = await api.call("POST", `/products/${product.id}`, { name: "書道教室", description: "月2回" });
    expect(renamed.body).toMatchObject({ id: product.id, name: "書道教室", description: "月2回", active: true });
    const plan = (await api.call("POST", "/plans", { product: product.id, amount: 2200, interval: "month" })).body;
    const retired = await api.call("POST", `/plans/${plan.id}`, { active: false });
    expect(retired.body).toMatchObject({ id: plan.id, active: false, amount: 2200 });
    expect((await api.call("POST", `/plans/${plan.id}`, { active: true })).body.error).toMatchObject({ type: "invalid_request_error", param: "active" });
    expect((await api.call("POST", `/plans/${plan.id}`, { amount: 3000 })).status).toBe(400);
    expect((await api.call("POST", `/products/${product.id}`, { active: false })).body).toMatchObject({ active: false });
    const refused = await api.call("POST", "/plans", { product: product.id, amount: 100, interval: "month" });
    expect(refused.status).toBe(409);
    expect((await api.call("POST", `/products/${product.id}`, { name: "" })).status).toBe(400);
    expect((await api.call("POST", "/products/prod_nope", { name: "x" })).status).toBe(404);
    expect((await api.call("GET", `/products/${product.id}`)).body).toMatchObject({ name: "書道教室", active: false });
  });

  it("answers 401 without a valid key, 404 for unknown paths and another merchant's objects", async () => {
    expect((await api.call("GET", "/products", undefined, {}, null)).body.error).toMatchObject({ type: "authentication_error" });
    expect((await api.call("GET", "/products", undefined, {}, "sk_" + "x".repeat(32))).status).toBe(401);
    expect((await api.call("GET", "/nothing-here")).status).toBe(404);
    expect((await api.call("DELETE", "/products")).status).toBe(405);
    const other = await setupTestApi(database);
    const theirs = (await other.call("POST", "/products", { name: "他社" })).body;
    const mine = await api.call("GET", `/products/${theirs.id}`);
    expect(mine.status).toBe(404);
    expect(mine.body.error.code).toBe("resource_missing");
    expect((await api.call("GET", "/products?limit=100")).body.data.some((p: { id: string }) => p.id === theirs.id)).toBe(false);
  });

  it("refuses bodies that are not JSON objects or over 1 MB", async () => {
    expect((await api.call("POST", "/products", "{not json")).body.error.code).toBe("body_not_json");
    expect((await api.call("POST", "/products", "[1,2]")).body.error.code).toBe("body_not_object");
    const huge = await api.call("POST", "/products", { name: "x", description: "あ".repeat(400_000) });
    expect(huge.status).toBe(413);
  });

  it("replays an Idempotency-Key, refuses it with another body, and runs concurrent same-key requests once", async () => {
    const key = { "idempotency-key": `k-${crypto.randomUUID()}` };
    const first = await api.call("POST", "/products", { name: "一度だけ" }, key);
    const again = await api.call("POST", "/products", { name: "一度だけ" }, key);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const conflict = await api.call("POST", "/products", { name: "別物" }, key);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.type).toBe("idempotency_error");

    const concurrentKey = { "idempotency-key": `c-${crypto.randomUUID()}` };
    const results = await Promise.all(Array.from({ length: 8 }, () => api.call("POST", "/products", { name: "同時" }, concurrentKey)));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const list = await api.call("GET", "/products?limit=100");
    expect(list.body.data.filter((p: { name: string }) => p.name === "同時")).toHaveLength(1);
  });

  it("serves an OpenAPI 3.1 document without a key", async () => {
    const doc = await api.call("GET", "/openapi.json", undefined, {}, null);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
    expect(doc.body.paths["/plans"].post.requestBody.content["application/json"].schema.properties.interval.enum).toEqual(["week", "2week", "month", "3month", "6month", "year"]);
    expect(doc.body.components.schemas.Plan).toBeDefined();
  });
});
