import { eq } from "drizzle-orm";
import { testPlatform } from "@/test/support/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { paymentMethods, sandboxCards } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { systemClock } from "@/lib/services/context";
import { createMerchant } from "@/lib/services/create-merchant";
import { createApiHandler } from "../handle-request";
import { createRateLimiter } from "../rate-limit";
import { setupTestApi } from "@/test/support/api";
import { API_ROUTES } from ".";

const CARD = { number: "4242 4242 4242 4242", exp_month: 12, exp_year: 2035, cvc: "123" };

describe("API: sandbox tokens, payment methods and test card behaviours", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  let other: Awaited<ReturnType<typeof setupTestApi>>;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    other = await setupTestApi(database);
  });
  afterAll(async () => database.close());

  const newCustomer = async (a = api) => (await a.call("POST", "/customers", { email: `c-${crypto.randomUUID()}@example.jp`, name: "カード 太郎" })).body;
  const newToken = async (card: Partial<typeof CARD> = {}) => (await api.call("POST", "/sandbox/tokens", { ...CARD, ...card })).body;
  const gatewayRefOf = async (pmId: string) => (await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, pmId)))[0]!.gatewayRef;
  const behaviorOf = async (pmId: string) => (await database.db.select().from(sandboxCards).where(eq(sandboxCards.ref, await gatewayRefOf(pmId))))[0]!.behavior;

  it("tokenizes a test card, describing it without the number", async () => {
    const r = await api.call("POST", "/sandbox/tokens", CARD);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: expect.stringMatching(/^tok_/), object: "token", card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2035 } });
    const jcb = await api.call("POST", "/sandbox/tokens", { number: "3530111333300000", exp_month: "1", exp_year: "2030", cvc: "9999" });
    expect(jcb.body.card).toEqual({ brand: "jcb", last4: "0000", exp_month: 1, exp_year: 2030 });
  });

  it("refuses a bad card with the field as param in snake_case", async () => {
    const bad = [
      [{ number: "4242 4242 4242 4241" }, "number", "invalid_number"],
      [{ number: "4242-4242" }, "number", "invalid_number"],
      [{ exp_month: 13 }, "exp_month", "invalid_expiry_month"],
      [{ exp_month: "xx" }, "exp_month", "invalid_expiry_month"],
      [{ exp_year: 35 }, "exp_year", "invalid_expiry_year"],
      [{ exp_year: 2020 }, "exp_year", "expired_card"],
      [{ cvc: "12" }, "cvc", "invalid_cvc"],
      [{ cvc: 123 }, "cvc", "parameter_invalid"],
      [{ cvc: undefined }, "cvc", "parameter_missing"],
      [{ name: "TARO YAMADA" }, "name", "parameter_unknown"],
    ] as const;
    for (const [override, param, code] of bad) {
      const res = await api.call("POST", "/sandbox/tokens", { ...CARD, ...override });
      expect(res.status, JSON.stringify(override)).toBe(400);
      expect(res.body.error, JSON.stringify(override)).toMatchObject({ type: "invalid_request_error", param, code });
    }
  });

  it("attaches a token as the customer's default payment method and lists the cards newest first", async () => {
    const customer = await newCustomer();
    const token = await newToken();
    const r = await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: token.id });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ object: "payment_method", customer: customer.id, brand: "visa", last4: "4242", exp_month: 12, exp_year: 2035, status: "active" });
    expect(r.body.id).toMatch(/^pm_/);
    expect((await api.call("GET", `/customers/${customer.id}`)).body.default_payment_method).toBe(r.body.id);

    const second = await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: (await newToken({ number: "5555555555554444" })).id, make_default: false });
    expect(second.body).toMatchObject({ brand: "mastercard", last4: "4444" });
    expect((await api.call("GET", `/customers/${customer.id}`)).body.default_payment_method).toBe(r.body.id);

    const list = await api.call("GET", `/customers/${customer.id}/payment_methods`);
    expect(list.body).toEqual({ object: "list", data: [second.body, r.body], has_more: false });
    const paged = await api.call("GET", `/customers/${customer.id}/payment_methods?limit=1`);
    expect(paged.body).toMatchObject({ has_more: true, data: [{ id: second.body.id }] });
    expect((await api.call("GET", `/customers/${customer.id}/payment_methods?starting_after=${second.body.id}`)).body.data).toEqual([r.body]);
  });

  it("answers a declined card with 402 and an unusable token with 400, saving nothing", async () => {
    const customer = await newCustomer();
    const declined = await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: (await newToken({ number: "4000000000000002" })).id });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ type: "card_error", code: "card_declined", decline_code: "card_declined", param: "token" });

    const token = await newToken();
    expect((await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: token.id })).status).toBe(200);
    const reused = await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: token.id });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toMatchObject({ type: "invalid_request_error", code: "token_already_used", param: "token" });
    const unknown = await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: "tok_nope" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "token_not_found", param: "token" });
    const missing = await api.call("POST", `/customers/${customer.id}/payment_methods`, {});
    expect(missing.body.error).toMatchObject({ code: "parameter_missing", param: "token" });
    expect((await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: token.id, cvc: "123" })).body.error.param).toBe("cvc");
    expect((await api.call("GET", `/customers/${customer.id}/payment_methods`)).body.data).toHaveLength(1);
  });

  it("replays an attach with the same Idempotency-Key instead of refusing the used token", async () => {
    const customer = await newCustomer();
    const token = await newToken();
    const key = { "idempotency-key": `pm-${crypto.randomUUID()}` };
    const first = await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: token.id }, key);
    const again = await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: token.id }, key);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await api.call("GET", `/customers/${customer.id}/payment_methods`)).body.data).toHaveLength(1);
  });

  it("sets a saved card's behaviour through the test helper", async () => {
    const customer = await newCustomer();
    const pm = (await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: (await newToken()).id })).body;
    expect(await behaviorOf(pm.id)).toBe("succeed");
    for (const behavior of ["decline", "insufficient_funds", "succeed"]) {
      const r = await api.call("POST", `/test_helpers/payment_methods/${pm.id}/behavior`, { behavior });
      expect(r.status).toBe(200);
      expect(r.body).toEqual(pm);
      expect(await behaviorOf(pm.id)).toBe(behavior);
    }
    const bad = await api.call("POST", `/test_helpers/payment_methods/${pm.id}/behavior`, { behavior: "explode" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("behavior");
    expect((await api.call("POST", `/test_helpers/payment_methods/${pm.id}/behavior`, {})).body.error).toMatchObject({ param: "behavior", type: "invalid_request_error" });
    const unknown = await api.call("POST", "/test_helpers/payment_methods/pm_nope/behavior", { behavior: "decline" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "resource_missing", param: "id" });
  });

  it("never reaches another merchant's customers or cards", async () => {
    const theirs = await newCustomer(other);
    const theirToken = (await other.call("POST", "/sandbox/tokens", CARD)).body;
    const theirPm = (await other.call("POST", `/customers/${theirs.id}/payment_methods`, { token: theirToken.id })).body;

    const attach = await api.call("POST", `/customers/${theirs.id}/payment_methods`, { token: (await newToken()).id });
    expect(attach.status).toBe(404);
    expect(attach.body.error).toMatchObject({ code: "resource_missing", param: "id" });
    expect((await api.call("GET", `/customers/${theirs.id}/payment_methods`)).status).toBe(404);
    const behavior = await api.call("POST", `/test_helpers/payment_methods/${theirPm.id}/behavior`, { behavior: "decline" });
    expect(behavior.status).toBe(404);
    expect(await behaviorOf(theirPm.id)).toBe("succeed");
    expect((await other.call("GET", `/customers/${theirs.id}/payment_methods`)).body.data).toEqual([theirPm]);
  });

  it("offers the sandbox helpers only while the sandbox is the gateway", async () => {
    const notInThisTest = async (): Promise<never> => {
      throw new Error("not in this test");
    };
    const gateway: PaymentGateway = { name: "stripe", setupCard: notInThisTest, charge: notInThisTest, refund: notInThisTest };
    const handler = createApiHandler({
      database: async () => database,
      platform: (d) => testPlatform(d.db, { gateway }),
      rateLimiter: createRateLimiter({ perSecond: 1000, burst: 1000 }),
      runInBackground: () => {},
      routes: API_ROUTES,
    });
    const { secretKey } = await createMerchant(
      { db: database.db, actor: { type: "operator", id: "test" }, clock: systemClock },
      { name: "本番 商店", email: `live-${crypto.randomUUID()}@merchant.test`, password: "password-123" },
    );
    const post = async (path: string, body: unknown) => {
      const response = await handler(
        new Request(`http://localhost/api/v1${path}`, { method: "POST", headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json" }, body: JSON.stringify(body) }),
      );
      return { status: response.status, body: await response.json() };
    };
    const token = await post("/sandbox/tokens", CARD);
    expect(token.status).toBe(400);
    expect(token.body.error).toMatchObject({ type: "invalid_request_error", code: "sandbox_only" });
    expect(token.body.error.message).toMatch(/sandbox/);
    const behavior = await post("/test_helpers/payment_methods/pm_any/behavior", { behavior: "decline" });
    expect(behavior.status).toBe(400);
    expect(behavior.body.error.code).toBe("sandbox_only");
  });
});
