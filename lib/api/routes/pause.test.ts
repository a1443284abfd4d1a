import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { paymentMethods, sandboxCharges } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";
import { billingFixtures } from "@/test/support/billing-fixtures";

const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

type Api = Awaited<ReturnType<typeof setupTestApi>>;
type Fixtures = ReturnType<typeof billingFixtures>;
type Entry = { kind: string; status: string; at: string; detail: string };

describe("API: pause and un-pause", () => {
  let database: Database;
  let api: Api;
  let f: Fixtures;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    f = billingFixtures(database, api);
  });
  afterAll(async () => database.close());

  /** A monthly 3,000 JPY contract of a yoga studio (ヨガ教室) signed up on Jan 10 12:00 JST on its own clock: paid through Feb 10. */
  async function monthly(options: { plan?: Record<string, unknown> } = {}) {
    const plan = await f.plan({ name: "ヨガ教室 月謝", ...options.plan });
    const { customer, paymentMethod, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), name: "鈴木 一郎" });
    const created = await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id });
    if (created.status !== 200) throw new Error(`sign-up: ${JSON.stringify(created.body)}`);
    return { plan, customer, paymentMethod, clock: clock!, sub: created.body };
  }

  const invoicesOf = async (subId: string) => (await api.getOk(`/invoices?subscription=${subId}&limit=100`)).data as { id: string; kind: string; status: string; total: number }[];
  const mailsOf = async (subId: string, template: string) => (await api.getOk(`/mails?subscription=${subId}&template=${template}&limit=100`)).data as { created: string }[];
  const timeline = async (subId: string) => (await api.getOk(`/subscriptions/${subId}/timeline`)).data as Entry[];
  const chargesOf = async (paymentMethodId: string) => {
    const [pm] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethodId));
    return database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, pm!.gatewayRef));
  };
  const behavior = async (paymentMethodId: string, value: string) => {
    const r = await api.call("POST", `/test_helpers/payment_methods/${paymentMethodId}/behavior`, { behavior: value });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };

  it("pauses until a date: no renewal while paused, the paid-through date kept; it un-pauses by itself and a new month is charged that day", async () => {
    const { sub, clock, paymentMethod } = await monthly();
    await f.advance(clock.id, new Date(jst("2027-01-20T10:00:00")));
    const paused = await api.call("POST", `/subscriptions/${sub.id}/pause`, { resume_at: "2027-03-01T00:00:00+09:00" });
    expect(paused.status).toBe(200);
    expect(paused.body).toEqual({
      ...sub,
      status: "paused",
      paused_at: jst("2027-01-20T10:00:00"),
      resume_at: jst("2027-03-01T00:00:00"),
      current_period_start: jst("2027-01-10T12:00:00"),
      current_period_end: jst("2027-02-10T00:00:00"),
      next_action: { kind: "unpause", due_at: jst("2027-03-01T00:00:00") },
    });
    expect((await mailsOf(sub.id, "paused")).map((m) => m.created)).toEqual([jst("2027-01-20T10:00:00")]);
    const renewal = (await timeline(sub.id)).find((e) => e.kind === "renewal");
    expect(renewal).toMatchObject({ status: "canceled", at: jst("2027-02-10T00:00:00") });

    // Past the paid-through date: nothing is charged while paused.
    await f.advance(clock.id, new Date(jst("2027-02-20T12:00:00")));
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "paused", current_period_end: jst("2027-02-10T00:00:00"), next_action: { kind: "unpause" } });
    expect((await invoicesOf(sub.id)).map((i) => i.kind)).toEqual(["first"]);
    expect(await chargesOf(paymentMethod.id)).toHaveLength(1);

    // Mar 1 00:00: un-paused; the paused time is not billed, a new month starts that day and is charged at once.
    await f.advance(clock.id, new Date(jst("2027-03-01T12:00:00")));
    const resumed = await api.getOk(`/subscriptions/${sub.id}`);
    expect(resumed).toMatchObject({
      status: "active",
      paused_at: null,
      resume_at: null,
      current_period_start: jst("2027-03-01T00:00:00"),
      current_period_end: jst("2027-04-01T00:00:00"),
      next_action: { kind: "renewal", due_at: jst("2027-04-01T00:00:00") },
    });
    const invoice = await api.getOk(`/invoices/${resumed.latest_invoice}`);
    expect(invoice).toMatchObject({
      kind: "renewal",
      status: "paid",
      total: 3000,
      period_start: jst("2027-03-01T00:00:00"),
      period_end: jst("2027-04-01T00:00:00"),
      paid_at: jst("2027-03-01T00:00:00"),
    });
    expect(invoice.lines.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([["period", 3000]]);
    expect((await invoicesOf(sub.id)).map((i) => i.kind)).toEqual(["renewal", "first"]);
    expect(await chargesOf(paymentMethod.id)).toHaveLength(2);
    expect((await mailsOf(sub.id, "resumed")).map((m) => m.created)).toEqual([jst("2027-03-01T00:00:00")]);
  });

  it("un-pauses on request with paid time left: no charge, and the renewal falls on the paid-through date as before (no month billed twice)", async () => {
    const { sub, clock, paymentMethod } = await monthly();
    await f.advance(clock.id, new Date(jst("2027-01-15T09:00:00")));
    const paused = await api.call("POST", `/subscriptions/${sub.id}/pause`, { resume_at: "2027-04-15T00:00:00+09:00" });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      status: "paused",
      paused_at: jst("2027-01-15T09:00:00"),
      resume_at: jst("2027-04-15T00:00:00"),
      next_action: { kind: "unpause", due_at: jst("2027-04-15T00:00:00") },
      current_period_end: jst("2027-02-10T00:00:00"),
    });

    await f.advance(clock.id, new Date(jst("2027-01-25T18:00:00")));
    const resumed = await api.call("POST", `/subscriptions/${sub.id}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      status: "active",
      paused_at: null,
      resume_at: null,
      current_period_end: jst("2027-02-10T00:00:00"),
      latest_invoice: sub.latest_invoice,
      next_action: { kind: "renewal", due_at: jst("2027-02-10T00:00:00") },
    });
    expect(await chargesOf(paymentMethod.id)).toHaveLength(1);
    // The planned un-pause is called off.
    expect((await timeline(sub.id)).filter((e) => e.kind === "unpause").map((e) => [e.status, e.at])).toEqual([["canceled", jst("2027-04-15T00:00:00")]]);

    await f.advance(clock.id, new Date(jst("2027-02-10T12:00:00")));
    const after = await api.getOk(`/subscriptions/${sub.id}`);
    expect(after).toMatchObject({ status: "active", current_period_start: jst("2027-02-10T00:00:00"), current_period_end: jst("2027-03-10T00:00:00") });
    expect(await api.getOk(`/invoices/${after.latest_invoice}`)).toMatchObject({ kind: "renewal", total: 3000, period_start: jst("2027-02-10T00:00:00"), period_end: jst("2027-03-10T00:00:00") });
    expect((await invoicesOf(sub.id)).map((i) => i.kind)).toEqual(["renewal", "first"]);
    expect(await chargesOf(paymentMethod.id)).toHaveLength(2);

    // A resume_at given as null is the same as none.
    const again = await api.call("POST", `/subscriptions/${sub.id}/pause`, { resume_at: null });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: "paused", paused_at: jst("2027-02-10T12:00:00"), resume_at: null, next_action: null, current_period_end: jst("2027-03-10T00:00:00") });
  });

  it("un-paused after the paid-through date: a new month from today, charged at once", async () => {
    const { sub, clock } = await monthly();
    await api.call("POST", `/subscriptions/${sub.id}/pause`, {});
    await f.advance(clock.id, new Date(jst("2027-02-20T12:00:00")));
    const resumed = await api.call("POST", `/subscriptions/${sub.id}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      status: "active",
      paused_at: null,
      current_period_start: jst("2027-02-20T12:00:00"),
      current_period_end: jst("2027-03-20T00:00:00"),
      next_action: { kind: "renewal", due_at: jst("2027-03-20T00:00:00") },
    });
    expect(resumed.body.latest_invoice).not.toBe(sub.latest_invoice);
    expect(await api.getOk(`/invoices/${resumed.body.latest_invoice}`)).toMatchObject({
      kind: "renewal",
      status: "paid",
      total: 3000,
      period_start: jst("2027-02-20T12:00:00"),
      period_end: jst("2027-03-20T00:00:00"),
      paid_at: jst("2027-02-20T12:00:00"),
    });
  });

  it("answers 402 when the un-pause charge is declined: soft leaves it past_due with its retries, hard (expired card) makes it unpaid at once", async () => {
    const soft = await monthly();
    await api.call("POST", `/subscriptions/${soft.sub.id}/pause`, {});
    await f.advance(soft.clock.id, new Date(jst("2027-02-20T12:00:00")));
    await behavior(soft.paymentMethod.id, "decline");
    const declined = await api.call("POST", `/subscriptions/${soft.sub.id}/resume`, {});
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({
      type: "card_error",
      code: "card_declined",
      decline_code: "card_declined",
      decline_kind: "soft",
      subscription: soft.sub.id,
      invoice: expect.stringMatching(/^in_/),
    });
    const pastDue = await api.getOk(`/subscriptions/${soft.sub.id}`);
    expect(pastDue).toMatchObject({ status: "past_due", paused_at: null, latest_invoice: declined.body.error.invoice, next_action: { kind: "retry", due_at: jst("2027-02-27T12:00:00") } });
    expect(await api.getOk(`/invoices/${declined.body.error.invoice}`)).toMatchObject({ kind: "renewal", status: "open", total: 3000, attempts: [{ status: "failed", failure_code: "card_declined" }] });
    // Past due, it cannot be paused again.
    const pauseOverdue = await api.call("POST", `/subscriptions/${soft.sub.id}/pause`, {});
    expect(pauseOverdue.status).toBe(409);
    expect(pauseOverdue.body.error).toMatchObject({ type: "invalid_request_error", code: "illegal_state" });

    const hard = await monthly();
    await api.call("POST", `/subscriptions/${hard.sub.id}/pause`, {});
    await f.advance(hard.clock.id, new Date(jst("2027-02-20T12:00:00")));
    await behavior(hard.paymentMethod.id, "expired_card");
    const expired = await api.call("POST", `/subscriptions/${hard.sub.id}/resume`, {});
    expect(expired.status).toBe(402);
    expect(expired.body.error).toMatchObject({ type: "card_error", code: "card_declined", decline_code: "expired_card", decline_kind: "hard", subscription: hard.sub.id, invoice: expect.stringMatching(/^in_/) });
    // No automatic retry for an expired card: the dunning timeline starts (unpaid notice a day after the paid-through date).
    const unpaid = await api.getOk(`/subscriptions/${hard.sub.id}`);
    expect(unpaid).toMatchObject({ status: "unpaid", next_action: { kind: "dunning_notice", due_at: jst("2027-02-21T12:00:00") } });
    expect((await timeline(hard.sub.id)).filter((e) => e.kind === "retry" && e.status === "scheduled")).toEqual([]);
  });

  it("pauses a trial, keeping its end date; un-paused before it the trial goes on, after it the trial converts today", async () => {
    const plan = await f.plan({ name: "ヨガ教室 お試し付き", trial_days: 14, trial_reminder_days: 3 });
    const { customer, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")) });
    const sub = (await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id })).body;
    expect(sub).toMatchObject({ status: "trialing", trial_end: jst("2027-01-24T00:00:00") });
    const paused = await api.call("POST", `/subscriptions/${sub.id}/pause`, {});
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: "paused", trial_end: jst("2027-01-24T00:00:00"), current_period_end: jst("2027-01-24T00:00:00"), next_action: null });
    await f.advance(clock!.id, new Date(jst("2027-01-22T09:00:00")));
    // No trial reminder while paused.
    expect(await mailsOf(sub.id, "trial_ending")).toEqual([]);
    const resumed = await api.call("POST", `/subscriptions/${sub.id}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: "trialing", trial_end: jst("2027-01-24T00:00:00"), latest_invoice: null, next_action: { kind: "trial_end", due_at: jst("2027-01-24T00:00:00") } });
    await f.advance(clock!.id, new Date(jst("2027-01-24T12:00:00")));
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "active", current_period_start: jst("2027-01-24T00:00:00"), current_period_end: jst("2027-02-24T00:00:00") });

    // Paused over its trial's end: un-paused on Feb 1, the trial ends that day and its first month (Feb 1 – Mar 1) is charged.
    const late = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")) });
    const lateSub = (await api.call("POST", "/subscriptions", { customer: late.customer.id, plan: plan.id })).body;
    await api.call("POST", `/subscriptions/${lateSub.id}/pause`, {});
    await f.advance(late.clock!.id, new Date(jst("2027-02-01T12:00:00")));
    expect((await invoicesOf(lateSub.id))).toEqual([]);
    const converted = await api.call("POST", `/subscriptions/${lateSub.id}/resume`, {});
    expect(converted.status).toBe(200);
    expect(converted.body).toMatchObject({
      status: "active",
      trial_end: jst("2027-02-01T12:00:00"),
      current_period_start: jst("2027-02-01T12:00:00"),
      current_period_end: jst("2027-03-01T00:00:00"),
      next_action: { kind: "renewal", due_at: jst("2027-03-01T00:00:00") },
    });
    expect(await api.getOk(`/invoices/${converted.body.latest_invoice}`)).toMatchObject({
      kind: "first",
      status: "paid",
      total: 3000,
      period_start: jst("2027-02-01T12:00:00"),
      period_end: jst("2027-03-01T00:00:00"),
    });
  });

  it("refuses bad bodies with the parameter named, and writes nothing", async () => {
    const { sub, clock } = await monthly();
    await f.advance(clock.id, new Date(jst("2027-01-20T10:00:00")));
    const before = await api.getOk(`/subscriptions/${sub.id}`);
    const beforeTimeline = await timeline(sub.id);
    const cases: [unknown, string, string?][] = [
      [{ resume_at: "来月" }, "resume_at"],
      [{ resume_at: "2027-03-01" }, "resume_at"],
      [{ resume_at: "2027-03-01T00:00:00" }, "resume_at"],
      [{ resume_at: 1803826800000 }, "resume_at"],
      // Not in the future of the contract's clock.
      [{ resume_at: jst("2027-01-20T10:00:00") }, "resume_at", "parameter_invalid"],
      [{ resume_at: jst("2027-01-01T00:00:00") }, "resume_at", "parameter_invalid"],
      // A pause is at most 3 × 366 days.
      [{ resume_at: jst("2030-01-25T00:00:00") }, "resume_at", "parameter_invalid"],
      [{ until: jst("2027-03-01T00:00:00") }, "until", "parameter_unknown"],
    ];
    for (const [body, param, code] of cases) {
      const r = await api.call("POST", `/subscriptions/${sub.id}/pause`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatchObject({ type: "invalid_request_error", param });
      if (code) expect(r.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect((await api.call("POST", `/subscriptions/${sub.id}/pause`, "[")).body.error.code).toBe("body_not_json");
    expect((await api.call("POST", `/subscriptions/${sub.id}/resume`, { resume_at: jst("2027-03-01T00:00:00") })).body.error).toMatchObject({ code: "parameter_unknown", param: "resume_at" });
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toEqual(before);
    expect(await timeline(sub.id)).toEqual(beforeTimeline);
    expect(await mailsOf(sub.id, "paused")).toEqual([]);
    // Just inside the limit is accepted.
    const longest = await api.call("POST", `/subscriptions/${sub.id}/pause`, { resume_at: jst("2030-01-20T00:00:00") });
    expect(longest.status).toBe(200);
    expect(longest.body.resume_at).toBe(jst("2030-01-20T00:00:00"));
  });

  it("answers 409 for contracts that cannot pause or un-pause, and changes nothing", async () => {
    const paused = await monthly();
    expect((await api.call("POST", `/subscriptions/${paused.sub.id}/pause`, {})).status).toBe(200);
    const pausedView = await api.getOk(`/subscriptions/${paused.sub.id}`);
    const twice = await api.call("POST", `/subscriptions/${paused.sub.id}/pause`, { resume_at: jst("2027-02-01T00:00:00") });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ type: "invalid_request_error", code: "illegal_state" });
    expect(await api.getOk(`/subscriptions/${paused.sub.id}`)).toEqual(pausedView);
    expect(await mailsOf(paused.sub.id, "paused")).toHaveLength(1);

    const canceling = await monthly();
    await api.call("POST", `/subscriptions/${canceling.sub.id}/cancel`, {});
    const cancelingView = await api.getOk(`/subscriptions/${canceling.sub.id}`);
    const refused = await api.call("POST", `/subscriptions/${canceling.sub.id}/pause`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ type: "invalid_request_error", code: "already_canceling" });
    expect(await api.getOk(`/subscriptions/${canceling.sub.id}`)).toEqual(cancelingView);

    const canceled = await monthly();
    await api.call("POST", `/subscriptions/${canceled.sub.id}/cancel`, { at_period_end: false });
    const ended = await api.call("POST", `/subscriptions/${canceled.sub.id}/pause`, {});
    expect(ended.status).toBe(409);
    expect(ended.body.error.code).toBe("illegal_state");
    expect((await api.getOk(`/subscriptions/${canceled.sub.id}`)).status).toBe("canceled");

    const declined = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), card: "decline" });
    const incomplete = await api.call("POST", "/subscriptions", { customer: declined.customer.id, plan: paused.plan.id });
    expect(incomplete.status).toBe(402);
    const notStarted = await api.call("POST", `/subscriptions/${incomplete.body.error.subscription}/pause`, {});
    expect(notStarted.status).toBe(409);
    expect(notStarted.body.error.code).toBe("illegal_state");

    // A paused contract can be canceled (it ends now); ended, it cannot be paused.
    expect((await api.call("POST", `/subscriptions/${paused.sub.id}/cancel`, {})).body).toMatchObject({ status: "canceled", cancel_at_period_end: false, next_action: null });
    expect((await api.call("POST", `/subscriptions/${paused.sub.id}/pause`, {})).body.error.code).toBe("illegal_state");
  });

  it("treats another merchant's subscriptions as absent", async () => {
    const { sub } = await monthly();
    const before = await api.getOk(`/subscriptions/${sub.id}`);
    const other = await setupTestApi(database);
    for (const [path, body] of [
      [`/subscriptions/${sub.id}/pause`, {}],
      [`/subscriptions/${sub.id}/pause`, { resume_at: jst("2027-03-01T00:00:00") }],
      [`/subscriptions/${sub.id}/resume`, {}],
      ["/subscriptions/sub_nope/pause", {}],
    ] as const) {
      const r = await other.call("POST", path, body);
      expect(r.status, path).toBe(404);
      expect(r.body.error).toMatchObject({ type: "invalid_request_error", code: "resource_missing" });
    }
    expect(await api.getOk(`/subscriptions/${sub.id}`)).toEqual(before);
    expect((await api.call("POST", "/subscriptions/sub_nope/pause", {})).status).toBe(404);
  });

  it("documents pause and resume in the OpenAPI document", async () => {
    const doc = (await api.call("GET", "/openapi.json", undefined, {}, null)).body;
    const pause = doc.paths["/subscriptions/{id}/pause"].post;
    expect(pause.tags).toEqual(["Subscriptions"]);
    const body = pause.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties)).toEqual(["resume_at"]);
    expect(body.properties.resume_at.anyOf).toContainEqual(expect.objectContaining({ type: "string", format: "date-time" }));
    expect(body.additionalProperties).toBe(false);
    expect(pause.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/Subscription");
    const resume = doc.paths["/subscriptions/{id}/resume"].post;
    expect(resume.requestBody.content["application/json"].schema).toMatchObject({ type: "object", properties: {}, additionalProperties: false });
    expect(resume.summary).toMatch(/Paused: it un-pauses/);
    expect(doc.components.schemas.Subscription.properties).toHaveProperty("paused_at");
    expect(doc.components.schemas.Subscription.properties).toHaveProperty("resume_at");
  });
});
