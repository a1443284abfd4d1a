import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";

describe("API: customers", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  let other: Awaited<ReturnType<typeof setupTestApi>>;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    other = await setupTestApi(database);
  });
  afterAll(async () => database.close());

  it("creates a customer with defaults and retrieves it", async () => {
    const r = await api.call("POST", "/customers", { email: "  Taro.Yamada@Example.JP ", name: "山田 太郎" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ object: "customer", email: "taro.yamada@example.jp", name: "山田 太郎", phone: null, locale: "ja", test_clock: null, default_payment_method: null });
    expect(r.body.id).toMatch(/^cus_/);
    expect(Date.parse(r.body.created)).not.toBeNaN();
    expect((await api.call("GET", `/customers/${r.body.id}`)).body).toEqual(r.body);

    const en = await api.call("POST", "/customers", { email: "jane@example.com", name: "Jane", phone: "090-1234-5678", locale: "en" });
    expect(en.body).toMatchObject({ phone: "090-1234-5678", locale: "en" });
  });

  it("creates a customer on a test clock, living on the clock's time", async () => {
    const clock = (await api.call("POST", "/test_clocks", { frozen_time: "2027-01-10T12:00:00+09:00" })).body;
    const r = await api.call("POST", "/customers", { email: "clock@example.jp", name: "時計 花子", test_clock: clock.id });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ test_clock: clock.id, created: "2027-01-10T03:00:00.000Z" });
  });

  it("lists newest first with a cursor, and filters by email and test clock", async () => {
    const clock = (await api.call("POST", "/test_clocks", { frozen_time: "2027-02-01T00:00:00Z" })).body;
    const created = [];
    for (const [i, name] of ["一郎", "二郎", "三郎"].entries()) {
      created.push((await api.call("POST", "/customers", { email: `list-${i}@example.jp`, name, test_clock: clock.id })).body);
    }
    const first = await api.call("GET", `/customers?limit=2&test_clock=${clock.id}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: "list", has_more: true });
    expect(first.body.data.map((c: { name: string }) => c.name)).toEqual(["三郎", "二郎"]);
    const second = await api.call("GET", `/customers?limit=2&test_clock=${clock.id}&starting_after=${first.body.data[1].id}`);
    expect(second.body.data.map((c: { name: string }) => c.name)).toEqual(["一郎"]);
    expect(second.body.has_more).toBe(false);

    const byEmail = await api.call("GET", `/customers?email=${encodeURIComponent("LIST-1@example.jp")}`);
    expect(byEmail.body.data.map((c: { id: string }) => c.id)).toEqual([created[1].id]);
    expect((await api.call("GET", "/customers?email=nobody@example.jp")).body).toEqual({ object: "list", data: [], has_more: false });
  });

  it("names the offending parameter of a bad request and creates nothing", async () => {
    const before = (await api.call("GET", "/customers?limit=100")).body.data.length;
    const bad = [
      [{ name: "名無し" }, "email", "parameter_missing"],
      [{ email: "not-an-email", name: "x" }, "email", "parameter_invalid"],
      [{ email: "a@example.jp" }, "name", "parameter_missing"],
      [{ email: "a@example.jp", name: "   " }, "name", "parameter_invalid"],
      [{ email: "a@example.jp", name: "x", locale: "fr" }, "locale", "parameter_invalid"],
      [{ email: "a@example.jp", name: "x", phone: "0".repeat(31) }, "phone", "parameter_invalid"],
      [{ email: "a@example.jp", name: "x", address: "東京" }, "address", "parameter_unknown"],
      [{ email: 42, name: "x" }, "email", "parameter_invalid"],
    ] as const;
    for (const [body, param, code] of bad) {
      const res = await api.call("POST", "/customers", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatchObject({ type: "invalid_request_error", param, code });
    }
    const unknownClock = await api.call("POST", "/customers", { email: "a@example.jp", name: "x", test_clock: "clock_nope" });
    expect(unknownClock.status).toBe(404);
    expect(unknownClock.body.error).toMatchObject({ code: "resource_missing", param: "test_clock" });

    for (const query of ["limit=0", "limit=101", "limit=ten", "colour=red"]) {
      const res = await api.call("GET", `/customers?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.param, query).toBe(query.split("=")[0]);
    }
    expect((await api.call("GET", "/customers?limit=100")).body.data.length).toBe(before);
  });

  it("never shows another merchant's customers or lets their test clocks be used", async () => {
    const theirClock = (await other.call("POST", "/test_clocks", { frozen_time: "2027-01-01T00:00:00Z" })).body;
    const theirs = (await other.call("POST", "/customers", { email: "theirs@example.jp", name: "他社 顧客", test_clock: theirClock.id })).body;
    const mine = await api.call("GET", `/customers/${theirs.id}`);
    expect(mine.status).toBe(404);
    expect(mine.body.error).toMatchObject({ type: "invalid_request_error", code: "resource_missing", param: "id" });
    expect((await api.call("GET", "/customers?limit=100")).body.data.some((c: { id: string }) => c.id === theirs.id)).toBe(false);
    expect((await api.call("GET", "/customers?email=theirs@example.jp")).body.data).toEqual([]);
    expect((await api.call("GET", `/customers?test_clock=${theirClock.id}`)).body.data).toEqual([]);
    const onTheirClock = await api.call("POST", "/customers", { email: "sneaky@example.jp", name: "x", test_clock: theirClock.id });
    expect(onTheirClock.status).toBe(404);
    expect(onTheirClock.body.error.param).toBe("test_clock");
    expect((await api.call("GET", "/customers/cus_nope")).status).toBe(404);
  });

  it("replays a create with the same Idempotency-Key and refuses the key with another body", async () => {
    const key = { "idempotency-key": `cus-${crypto.randomUUID()}` };
    const first = await api.call("POST", "/customers", { email: "once@example.jp", name: "一度 だけ" }, key);
    const again = await api.call("POST", "/customers", { email: "once@example.jp", name: "一度 だけ" }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const conflict = await api.call("POST", "/customers", { email: "twice@example.jp", name: "二度目" }, key);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.type).toBe("idempotency_error");
    expect((await api.call("GET", "/customers?email=once@example.jp")).body.data).toHaveLength(1);
    expect((await api.call("GET", "/customers?email=twice@example.jp")).body.data).toHaveLength(0);
  });

  it("documents the customer endpoints in OpenAPI", async () => {
    const doc = (await api.call("GET", "/openapi.json", undefined, {}, null)).body;
    expect(doc.components.schemas.Customer).toBeDefined();
    expect(doc.paths["/customers"].post.requestBody.content["application/json"].schema.properties.locale.enum).toEqual(["ja", "en"]);
    expect(doc.paths["/customers"].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["email", "test_clock", "limit", "starting_after"]));
  });
});
