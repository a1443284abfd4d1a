import { readFileSync } from "node:fs";
import path from "node:path";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { E2E_DATA_DIR } from "./server-env";

/**
 * Seed 000 driven only through HTTP against `next start`: a monthly plan with a 14-day trial and a joining fee,
 * a customer on a test clock, the trial converting, the card going bad, two retries, dunning, withdrawal.
 * The same life as lib/services/scenario-seed-000.test.ts, which drives the services directly.
 */

// The demo merchant's key: the web server command seeds the fresh data directory as `npm start` does.
function demoSecretKey(): string {
  const file = path.join(E2E_DATA_DIR, "demo-credentials.json");
  const { secretKey } = JSON.parse(readFileSync(file, "utf8")) as { secretKey?: string };
  if (!secretKey?.startsWith("sk_")) throw new Error(`no secret key in ${file}`);
  return secretKey;
}

/** A JST wall time as the API writes it (UTC, milliseconds). */
const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

// Responses are walked freely; each assertion states the shape it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function apiClient(request: APIRequestContext, secretKey: string) {
  const call = async (method: "GET" | "POST", url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await request.fetch(`/api/v1${url}`, { method, headers: { authorization: `Bearer ${secretKey}`, ...headers }, data: body });
    return { status: response.status(), headers: response.headers(), body: (await response.json()) as Json };
  };
  /** POST that must succeed; a failure shows the API's error body. */
  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await call("POST", url, body, headers);
    expect(r.status, `POST ${url}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };
  const get = async (url: string) => {
    const r = await call("GET", url);
    expect(r.status, `GET ${url}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };
  return { call, post, get };
}

test("seed 000 over HTTP: trial → joining fee + first month → declines and retries → unpaid → dunning → withdrawn", async ({ request }) => {
  test.setTimeout(180_000);
  const { call, post, get } = apiClient(request, demoSecretKey());

  /** Moves the clock and waits until everything due up to the target has run. */
  async function advance(clockId: string, local: string) {
    const started = await post(`/test_clocks/${clockId}/advance`, { frozen_time: `${local}+09:00` });
    expect(["advancing", "ready"]).toContain(started.status);
    await expect.poll(async () => (await get(`/test_clocks/${clockId}`)).status, { timeout: 60_000, intervals: [100, 200, 500] }).toBe("ready");
    expect((await get(`/test_clocks/${clockId}`)).frozen_time).toBe(jst(local));
  }

  // Catalogue: one product, a monthly 3,000 JPY plan with a 14-day trial and a 5,000 JPY joining fee.
  const productKey = `e2e-product-${crypto.randomUUID()}`;
  const product = await post("/products", { name: "オンライン英会話" }, { "idempotency-key": productKey });
  expect(product.id).toMatch(/^prod_/);
  const replay = await call("POST", "/products", { name: "オンライン英会話" }, { "idempotency-key": productKey });
  expect(replay.status).toBe(200);
  expect(replay.headers["idempotent-replayed"]).toBe("true");
  expect(replay.body).toEqual(product);

  const plan = await post("/plans", { product: product.id, amount: 3000, currency: "jpy", interval: "month", trial_days: 14, joining_fee: 5000 });
  expect(plan).toMatchObject({ object: "plan", amount: 3000, currency: "jpy", interval: "month", trial_days: 14, joining_fee: 5000, tax_behavior: "inclusive", tax_rate: 10 });

  // A customer on a test clock at 2027-01-10 12:00 JST, with a sandbox card.
  const clock = await post("/test_clocks", { frozen_time: "2027-01-10T03:00:00Z", name: "seed 000 (e2e)" });
  expect(clock).toMatchObject({ object: "test_clock", status: "ready", frozen_time: "2027-01-10T03:00:00.000Z" });
  const customer = await post("/customers", { email: `seed000-${crypto.randomUUID().slice(0, 8)}@example.jp`, name: "山田 太郎", test_clock: clock.id });
  expect(customer).toMatchObject({ object: "customer", test_clock: clock.id, default_payment_method: null });
  const token = await post("/sandbox/tokens", { number: "4242 4242 4242 4242", exp_month: 12, exp_year: 2035, cvc: "123" });
  expect(token.id).toMatch(/^tok_/);
  const card = await post(`/customers/${customer.id}/payment_methods`, { token: token.id });
  expect(card).toMatchObject({ object: "payment_method", customer: customer.id, brand: "visa", last4: "4242", exp_month: 12, exp_year: 2035, status: "active" });

  // Signup: a trial until 2027-01-24 00:00 JST, nothing charged yet.
  const created = await post("/subscriptions", { customer: customer.id, plan: plan.id, payment_method: card.id });
  expect(created).toMatchObject({
    object: "subscription",
    status: "trialing",
    customer: customer.id,
    plan: plan.id,
    payment_method: card.id,
    test_clock: clock.id,
    trial_end: jst("2027-01-24T00:00:00"),
    next_action: { kind: "trial_end", due_at: jst("2027-01-24T00:00:00") },
  });
  const sub = created.id as string;
  expect((await get(`/invoices?subscription=${sub}`)).data).toEqual([]);

  // The trial converts: joining fee and the first month in one payment of 8,000 JPY.
  await advance(clock.id, "2027-01-24T09:00:00");
  expect(await get(`/subscriptions/${sub}`)).toMatchObject({
    status: "active",
    current_period_start: jst("2027-01-24T00:00:00"),
    current_period_end: jst("2027-02-24T00:00:00"),
    next_action: { kind: "renewal", due_at: jst("2027-02-24T00:00:00") },
  });
  const [first] = (await get(`/invoices?subscription=${sub}`)).data;
  expect(first).toMatchObject({ kind: "first", status: "paid", currency: "jpy", total: 8000, subtotal: 7273, tax: 727, paid_at: jst("2027-01-24T00:00:00") });
  expect(first.lines.map((l: Json) => [l.kind, l.amount]).sort()).toEqual([
    ["joining_fee", 5000],
    ["period", 3000],
  ]);

  // The card goes bad; the renewal on Feb 24 fails and retries are planned at +7 d and +14 d.
  expect(await post(`/test_helpers/payment_methods/${card.id}/behavior`, { behavior: "decline" })).toMatchObject({ id: card.id, status: "active" });
  await advance(clock.id, "2027-02-24T12:00:00");
  expect(await get(`/subscriptions/${sub}`)).toMatchObject({ status: "past_due", next_action: { kind: "retry", due_at: jst("2027-03-03T00:00:00") } });
  await advance(clock.id, "2027-03-03T12:00:00");
  expect(await get(`/subscriptions/${sub}`)).toMatchObject({ status: "past_due", next_action: { kind: "retry", due_at: jst("2027-03-10T00:00:00") } });
  await advance(clock.id, "2027-03-10T12:00:00");
  // Retries used up: unpaid, the final notice planned at paid-through + 60 d.
  expect(await get(`/subscriptions/${sub}`)).toMatchObject({ status: "unpaid", next_action: { kind: "dunning_notice", due_at: jst("2027-04-25T00:00:00") } });

  // Dunning: final notice (+60 d), withdrawal notice (+67 d), then withdrawal an hour later.
  await advance(clock.id, "2027-05-02T00:30:00");
  expect(await get(`/subscriptions/${sub}`)).toMatchObject({ status: "unpaid", next_action: { kind: "withdrawal", due_at: jst("2027-05-02T01:00:00") } });
  await advance(clock.id, "2027-05-02T02:00:00");
  expect(await get(`/subscriptions/${sub}`)).toMatchObject({ status: "withdrawn", ended_at: jst("2027-05-02T01:00:00"), next_action: null });

  // Invoices, newest first: the unpaid renewal written off, the paid first invoice.
  const invoices = (await get(`/invoices?subscription=${sub}`)) as Json;
  expect(invoices).toMatchObject({ object: "list", has_more: false });
  expect(invoices.data.map((i: Json) => [i.kind, i.status, i.total])).toEqual([
    ["renewal", "uncollectible", 3000],
    ["first", "paid", 8000],
  ]);
  // One payment attempt per scheduled attempt: the first charge, the renewal and its two retries.
  const attempts = invoices.data
    .flatMap((i: Json) => i.attempts)
    .map((a: Json) => [a.status, a.created, a.failure_code])
    .sort((a: string[], b: string[]) => a[1]!.localeCompare(b[1]!));
  expect(attempts).toEqual([
    ["succeeded", jst("2027-01-24T00:00:00"), null],
    ["failed", jst("2027-02-24T00:00:00"), "card_declined"],
    ["failed", jst("2027-03-03T00:00:00"), "card_declined"],
    ["failed", jst("2027-03-10T00:00:00"), "card_declined"],
  ]);
  // Filters combine: only the paid one.
  expect((await get(`/invoices?subscription=${sub}&status=paid`)).data.map((i: Json) => i.id)).toEqual([first.id]);

  // One mail per event, newest first in the API; oldest first here.
  const mails = (await get(`/mails?subscription=${sub}&limit=100`)) as Json;
  expect(mails.has_more).toBe(false);
  expect(
    mails.data
      .map((m: Json) => [m.template, m.created])
      .reverse(),
  ).toEqual([
    ["welcome", jst("2027-01-10T12:00:00")],
    ["charge_succeeded", jst("2027-01-24T00:00:00")],
    ["charge_failed", jst("2027-02-24T00:00:00")],
    ["charge_failed", jst("2027-03-03T00:00:00")],
    ["charge_failed", jst("2027-03-10T00:00:00")],
    ["unpaid_notice", jst("2027-03-10T00:00:00")],
    ["final_notice", jst("2027-04-25T00:00:00")],
    ["withdrawal_notice", jst("2027-05-02T00:00:00")],
  ]);
  for (const mail of mails.data) expect(mail).toMatchObject({ object: "mail", to: customer.email, customer: customer.id, subscription: sub, subject: expect.any(String) });
  expect((await get(`/mails?subscription=${sub}&template=charge_failed`)).data).toHaveLength(3);

  // The timeline: everything done, oldest first, nothing left scheduled.
  const timeline = (await get(`/subscriptions/${sub}/timeline`)) as Json;
  expect(timeline).toMatchObject({ object: "list", has_more: false });
  const entries = timeline.data as { kind: string; status: string; at: string; detail: string }[];
  expect(entries.map((e) => e.at)).toEqual(entries.map((e) => e.at).sort());
  expect(entries.filter((e) => e.status === "scheduled")).toEqual([]);
  expect(entries.map((e) => [e.kind, e.status, e.at])).toEqual([
    ["created", "done", jst("2027-01-10T12:00:00")],
    ["trial_end", "done", jst("2027-01-24T00:00:00")],
    ["payment", "done", jst("2027-01-24T00:00:00")],
    ["renewal", "done", jst("2027-02-24T00:00:00")],
    ["payment", "done", jst("2027-02-24T00:00:00")],
    ["retry", "done", jst("2027-03-03T00:00:00")],
    ["payment", "done", jst("2027-03-03T00:00:00")],
    ["retry", "done", jst("2027-03-10T00:00:00")],
    ["payment", "done", jst("2027-03-10T00:00:00")],
    ["dunning_notice", "done", jst("2027-03-10T00:00:00")],
    ["dunning_notice", "done", jst("2027-04-25T00:00:00")],
    ["dunning_notice", "done", jst("2027-05-02T00:00:00")],
    ["withdrawal", "done", jst("2027-05-02T01:00:00")],
  ]);
  expect(entries.find((e) => e.kind === "payment")!.detail).toBe("初回課金 ¥8,000：成功");
  expect(entries.at(-1)!.detail).toBe("退会処理：退会");

  // The customer's only contract, as the list shows it.
  const listed = (await get(`/subscriptions?customer=${customer.id}`)) as Json;
  expect(listed.data.map((s: Json) => [s.id, s.status])).toEqual([[sub, "withdrawn"]]);
});

test("the API refuses requests without a valid key, and serves its OpenAPI document without one", async ({ request }) => {
  const missing = await request.get("/api/v1/subscriptions");
  expect(missing.status()).toBe(401);
  expect((await missing.json()).error).toMatchObject({ type: "authentication_error", code: "api_key_missing" });
  const wrong = await request.get("/api/v1/subscriptions", { headers: { authorization: "Bearer sk_test_not_a_real_key" } });
  expect(wrong.status()).toBe(401);

  const doc = await request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  const body = await doc.json();
  expect(body.openapi).toBe("3.1.0");
  expect(body.paths["/subscriptions"].post.operationId).toBe("postSubscriptions");
  expect(Object.keys(body.components.schemas.Error.properties.error.properties)).toEqual(expect.arrayContaining(["decline_code", "subscription", "invoice"]));
});
