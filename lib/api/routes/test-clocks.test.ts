import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { operatorContext } from "@/lib/services/contexts";
import { testPlatform } from "@/test/support/platform";
import { beginTestClockAdvance, completeTestClockAdvance } from "@/lib/services/advance-test-clock";
import type { ServiceContext } from "@/lib/services/context";
import { createSubscription } from "@/lib/services/create-subscription";
import { contractHistory } from "@/test/support/merchant";
import { setupTestApi } from "@/test/support/api";

describe("API: test clocks", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  let other: Awaited<ReturnType<typeof setupTestApi>>;
  let ctx: ServiceContext;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    other = await setupTestApi(database);
    ctx = operatorContext(testPlatform(database.db), api.merchantId, "test");
  });
  afterAll(async () => database.close());

  const newClock = async (frozen_time = "2027-01-10T12:00:00+09:00", name?: string) => (await api.call("POST", "/test_clocks", { frozen_time, name })).body;

  it("creates, retrieves and lists test clocks newest first", async () => {
    const r = await api.call("POST", "/test_clocks", { frozen_time: "2027-01-10T12:00:00+09:00", name: "seed 000" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ object: "test_clock", name: "seed 000", frozen_time: "2027-01-10T03:00:00.000Z", status: "ready" });
    expect(r.body.id).toMatch(/^clock_/);
    expect((await api.call("GET", `/test_clocks/${r.body.id}`)).body).toEqual(r.body);
    const unnamed = await api.call("POST", "/test_clocks", { frozen_time: "2027-03-01T00:00:00Z" });
    expect(unnamed.body).toMatchObject({ name: null, frozen_time: "2027-03-01T00:00:00.000Z" });

    const first = await api.call("GET", "/test_clocks?limit=1");
    expect(first.body).toMatchObject({ object: "list", has_more: true, data: [unnamed.body] });
    const rest = await api.call("GET", `/test_clocks?starting_after=${unnamed.body.id}`);
    expect(rest.body.data[0]).toEqual(r.body);
  });

  it("names the offending parameter of a bad request", async () => {
    const clock = await newClock();
    const bad = [
      ["/test_clocks", {}, "frozen_time", "parameter_missing"],
      ["/test_clocks", { frozen_time: "next tuesday" }, "frozen_time", "parameter_invalid"],
      ["/test_clocks", { frozen_time: "2027-01-10" }, "frozen_time", "parameter_invalid"],
      ["/test_clocks", { frozen_time: 1800000000 }, "frozen_time", "parameter_invalid"],
      ["/test_clocks", { frozen_time: "2027-01-10T00:00:00Z", name: "x".repeat(201) }, "name", "parameter_invalid"],
      ["/test_clocks", { frozen_time: "2027-01-10T00:00:00Z", status: "ready" }, "status", "parameter_unknown"],
      [`/test_clocks/${clock.id}/advance`, {}, "frozen_time", "parameter_missing"],
      [`/test_clocks/${clock.id}/advance`, { frozen_time: "soon" }, "frozen_time", "parameter_invalid"],
      [`/test_clocks/${clock.id}/advance`, { frozen_time: "2027-01-11T00:00:00Z", name: "x" }, "name", "parameter_unknown"],
    ] as const;
    for (const [path, body, param, code] of bad) {
      const res = await api.call("POST", path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatchObject({ type: "invalid_request_error", param, code });
    }
    expect((await api.call("GET", `/test_clocks/${clock.id}`)).body).toEqual(clock);
  });

  it("answers an advance at once with status advancing and is ready at the target once the work has run", async () => {
    const clock = await newClock("2027-01-10T12:00:00+09:00");
    const r = await api.call("POST", `/test_clocks/${clock.id}/advance`, { frozen_time: "2027-02-01T00:00:00+09:00" });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ...clock, status: "advancing" });
    await api.settle();
    expect((await api.call("GET", `/test_clocks/${clock.id}`)).body).toEqual({ ...clock, status: "ready", frozen_time: "2027-01-31T15:00:00.000Z" });

    // Standing still is allowed; moving backwards is not, and changes nothing.
    expect((await api.call("POST", `/test_clocks/${clock.id}/advance`, { frozen_time: "2027-01-31T15:00:00Z" })).status).toBe(200);
    await api.settle();
    const back = await api.call("POST", `/test_clocks/${clock.id}/advance`, { frozen_time: "2027-01-20T00:00:00Z" });
    expect(back.status).toBe(400);
    expect(back.body.error).toMatchObject({ type: "invalid_request_error", param: "frozen_time" });
    expect((await api.call("GET", `/test_clocks/${clock.id}`)).body).toMatchObject({ status: "ready", frozen_time: "2027-01-31T15:00:00.000Z" });
  });

  it("refuses to advance a clock that is still advancing with 409", async () => {
    const clock = await newClock("2027-01-10T00:00:00Z");
    await beginTestClockAdvance(ctx, { testClockId: clock.id, frozenTime: "2027-01-20T00:00:00Z" });
    expect((await api.call("GET", `/test_clocks/${clock.id}`)).body.status).toBe("advancing");
    const busy = await api.call("POST", `/test_clocks/${clock.id}/advance`, { frozen_time: "2027-02-01T00:00:00Z" });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ type: "invalid_request_error", code: "clock_advancing" });
    await completeTestClockAdvance(ctx, clock.id);
    expect((await api.call("GET", `/test_clocks/${clock.id}`)).body).toMatchObject({ status: "ready", frozen_time: "2027-01-20T00:00:00.000Z" });
    await expect(completeTestClockAdvance(ctx, clock.id)).rejects.toMatchObject({ code: "conflict", details: { reason: "clock_not_advancing" } });
  });

  it("runs a trial conversion when advanced past the trial's end", async () => {
    const clock = await newClock("2027-01-10T12:00:00+09:00", "trial");
    const product = (await api.call("POST", "/products", { name: "オンライン講座" })).body;
    const plan = (await api.call("POST", "/plans", { product: product.id, amount: 3000, interval: "month", trial_days: 14, joining_fee: 5000 })).body;
    const customer = (await api.call("POST", "/customers", { email: "trial@example.jp", name: "体験 太郎", test_clock: clock.id })).body;
    const token = (await api.call("POST", "/sandbox/tokens", { number: "4242424242424242", exp_month: 12, exp_year: 2035, cvc: "123" })).body;
    const pm = (await api.call("POST", `/customers/${customer.id}/payment_methods`, { token: token.id })).body;
    const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id, paymentMethodId: pm.id });
    expect(subscription.status).toBe("trialing");

    const r = await api.call("POST", `/test_clocks/${clock.id}/advance`, { frozen_time: "2027-01-24T09:00:00+09:00" });
    expect(r.body.status).toBe("advancing");
    await api.settle();
    expect((await api.call("GET", `/test_clocks/${clock.id}`)).body).toMatchObject({ status: "ready", frozen_time: "2027-01-24T00:00:00.000Z" });

    const h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("active");
    expect(h.invoices).toHaveLength(1);
    expect(h.invoices[0]).toMatchObject({ kind: "first", status: "paid", total: 8000 });
    expect(h.attempts.map((a) => [a.status, a.attemptedAt])).toEqual([["succeeded", new Date("2027-01-23T15:00:00Z")]]);
    expect(h.sub.paidThrough).toEqual(new Date("2027-02-23T15:00:00Z"));
  });

  it("never shows or moves another merchant's clocks", async () => {
    const theirs = (await other.call("POST", "/test_clocks", { frozen_time: "2027-01-01T00:00:00Z" })).body;
    const get = await api.call("GET", `/test_clocks/${theirs.id}`);
    expect(get.status).toBe(404);
    expect(get.body.error).toMatchObject({ code: "resource_missing", param: "id" });
    const advance = await api.call("POST", `/test_clocks/${theirs.id}/advance`, { frozen_time: "2027-06-01T00:00:00Z" });
    expect(advance.status).toBe(404);
    expect(advance.body.error).toMatchObject({ code: "resource_missing", param: "id" });
    expect((await api.call("GET", "/test_clocks?limit=100")).body.data.some((c: { id: string }) => c.id === theirs.id)).toBe(false);
    expect((await other.call("GET", `/test_clocks/${theirs.id}`)).body).toEqual(theirs);
    expect((await api.call("POST", "/test_clocks/clock_nope/advance", { frozen_time: "2027-06-01T00:00:00Z" })).status).toBe(404);
  });

  it("replays an advance with the same Idempotency-Key without advancing twice", async () => {
    const clock = await newClock("2027-01-01T00:00:00Z");
    const key = { "idempotency-key": `adv-${crypto.randomUUID()}` };
    const first = await api.call("POST", `/test_clocks/${clock.id}/advance`, { frozen_time: "2027-01-05T00:00:00Z" }, key);
    await api.settle();
    const again = await api.call("POST", `/test_clocks/${clock.id}/advance`, { frozen_time: "2027-01-05T00:00:00Z" }, key);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    await api.settle();
    expect((await api.call("GET", `/test_clocks/${clock.id}`)).body).toMatchObject({ status: "ready", frozen_time: "2027-01-05T00:00:00.000Z" });
  });
});
