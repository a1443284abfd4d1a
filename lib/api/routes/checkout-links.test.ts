import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";
import { loadCheckoutPage } from "@/lib/services/queries/checkout-links";

describe("API: checkout links", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  let other: Awaited<ReturnType<typeof setupTestApi>>;
  let planId: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    other = await setupTestApi(database);
    const product = (await api.call("POST", "/products", { name: "英会話 月謝" })).body;
    planId = (await api.call("POST", "/plans", { product: product.id, amount: 8800, currency: "jpy", interval: "month" })).body.id;
  });
  afterAll(async () => database.close());

  it("creates a link with its page URL, reads it back and lists it; once per Idempotency-Key", async () => {
    const body = { plan: planId, success_url: "https://eikaiwa.example.jp/welcome", collect: { address: true } };
    const created = await api.call("POST", "/checkout_links", body, { "idempotency-key": "chk-1" });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^chk_/),
      object: "checkout_link",
      plan: planId,
      url: `http://localhost:3000/checkout/${created.body.id}`,
      success_url: "https://eikaiwa.example.jp/welcome",
      collect: { phone: false, address: true },
      active: true,
      created: expect.any(String),
    });
    expect((await api.call("POST", "/checkout_links", body, { "idempotency-key": "chk-1" })).body.id).toBe(created.body.id);
    expect(await api.getOk(`/checkout_links/${created.body.id}`)).toEqual(created.body);
    const list = await api.getOk(`/checkout_links?plan=${planId}`);
    expect(list.data.map((l: { id: string }) => l.id)).toContain(created.body.id);
  });

  it("turns a link off (its page is gone, sign-up refused) and on again; refuses another merchant's link and bad bodies", async () => {
    const link = (await api.call("POST", "/checkout_links", { plan: planId })).body;
    const off = await api.call("POST", `/checkout_links/${link.id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: link.id, active: false });
    expect(await loadCheckoutPage(database.db, link.id, new Date())).toBeNull();
    expect((await api.call("POST", `/checkout_links/${link.id}`, { active: false })).body.active).toBe(false);
    expect((await other.call("POST", `/checkout_links/${link.id}`, { active: true })).status).toBe(404);
    expect((await api.call("POST", `/checkout_links/${link.id}`, { active: "yes" })).status).toBe(400);
    expect((await api.call("POST", `/checkout_links/${link.id}`, {})).status).toBe(400);
    expect((await api.getOk(`/checkout_links/${link.id}`)).active).toBe(false);
    expect((await api.call("POST", `/checkout_links/${link.id}`, { active: true })).body.active).toBe(true);
    expect(await loadCheckoutPage(database.db, link.id, new Date())).not.toBeNull();
  });

  it("refuses a bad plan, a bad success URL and unknown fields; another merchant's link is not found", async () => {
    expect((await api.call("POST", "/checkout_links", { plan: "plan_nope" })).status).toBe(404);
    const bad = await api.call("POST", "/checkout_links", { plan: planId, success_url: "javascript:alert(1)" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("success_url");
    expect((await api.call("POST", "/checkout_links", { plan: planId, collect: { fax: true } })).status).toBe(400);
    const mine = (await api.call("POST", "/checkout_links", { plan: planId })).body;
    expect((await other.call("GET", `/checkout_links/${mine.id}`)).status).toBe(404);
    expect((await other.call("POST", "/checkout_links", { plan: planId })).status).toBe(404);
  });
});
