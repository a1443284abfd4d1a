import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";
import { billingFixtures } from "@/test/support/billing-fixtures";

const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

type Api = Awaited<ReturnType<typeof setupTestApi>>;
type Entry = { kind: string; status: string; at: string; detail: string };

const DEFAULTS = {
  object: "billing_settings",
  retry_schedule_days: [7, 14],
  dunning: {
    notices: [
      { template: "unpaid_notice", days_after_paid_through: 1 },
      { template: "final_notice", days_after_paid_through: 60 },
      { template: "withdrawal_notice", days_after_paid_through: 67 },
    ],
    withdraw: { enabled: true, hours_after_last_notice: 1 },
    fallback_invoice: { enabled: false, days_after_paid_through: 14 },
  },
  card_on_file_window_days: 365,
};

describe("API: billing settings re-plan existing subscriptions", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  /** A merchant of its own (settings are merchant-wide): a piano school (ピアノ教室) with a 3,000 JPY monthly plan. */
  async function merchant() {
    const api = await setupTestApi(database);
    const f = billingFixtures(database, api);
    const plan = await f.plan({ name: "ピアノ教室 月謝", amount: 3000 });

    /** A contract signed up on Jan 10 12:00 JST, paid through Feb 10; the card goes bad before the Feb 10 renewal. */
    async function overdue(options: { behavior?: "decline" | "lost_card"; planId?: string; at?: string } = {}) {
      const { customer, paymentMethod, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")), name: "山本 健太" });
      const sub = (await api.call("POST", "/subscriptions", { customer: customer.id, plan: options.planId ?? plan.id })).body;
      const set = await api.call("POST", `/test_helpers/payment_methods/${paymentMethod.id}/behavior`, { behavior: options.behavior ?? "decline" });
      expect(set.status).toBe(200);
      await f.advance(clock!.id, new Date(jst(options.at ?? "2027-02-10T12:00:00")));
      return { sub: await api.getOk(`/subscriptions/${sub.id}`), paymentMethod, clock: clock!, customer };
    }
    return { api, f, plan, overdue };
  }

  const scheduled = async (api: Api, subId: string) =>
    ((await api.getOk(`/subscriptions/${subId}/timeline`)).data as Entry[]).filter((e) => e.status === "scheduled").map((e) => [e.kind, e.at]);
  const snapshot = async (api: Api, subId: string) => ({ sub: await api.getOk(`/subscriptions/${subId}`), timeline: (await api.getOk(`/subscriptions/${subId}/timeline`)).data });

  it("a new retry schedule re-plans a past-due subscription's retries from its first failure, previewed first; a manual retry is kept", async () => {
    const m = await merchant();
    const { sub, paymentMethod, clock } = await m.overdue();
    expect(sub).toMatchObject({ status: "past_due", next_action: { kind: "retry", due_at: jst("2027-02-17T00:00:00") } });
    // Manually planned retries are the merchant's own, not the schedule's.
    expect((await m.api.call("POST", `/subscriptions/${sub.id}/retry`, { at: jst("2027-02-16T10:00:00") })).status).toBe(200);
    // An active subscription owes nothing: nothing to re-plan.
    const { customer: activeCustomer } = await m.f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")) });
    const active = (await m.api.call("POST", "/subscriptions", { customer: activeCustomer.id, plan: m.plan.id })).body;
    const activeBefore = await snapshot(m.api, active.id);
    const before = await snapshot(m.api, sub.id);

    const settings = { ...DEFAULTS, retry_schedule_days: [3, 5] };
    const preview = await m.api.call("POST", "/settings/billing/preview", settings);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      object: "billing_settings_preview",
      subscriptions_changed: 1,
      example: {
        subscription: sub.id,
        status_before: "past_due",
        status_after: "past_due",
        before: [
          { kind: "retry", due_at: jst("2027-02-17T00:00:00") },
          { kind: "retry", due_at: jst("2027-02-24T00:00:00") },
        ],
        after: [
          { kind: "retry", due_at: jst("2027-02-13T00:00:00") },
          { kind: "retry", due_at: jst("2027-02-15T00:00:00") },
        ],
      },
    });
    // The preview wrote nothing.
    expect(await m.api.getOk("/settings/billing")).toEqual(DEFAULTS);
    expect(await snapshot(m.api, sub.id)).toEqual(before);

    const put = await m.api.call("PUT", "/settings/billing", settings);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(settings);
    expect(await m.api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "past_due", next_action: { kind: "retry", due_at: jst("2027-02-13T00:00:00") } });
    expect(await scheduled(m.api, sub.id)).toEqual([
      ["retry", jst("2027-02-13T00:00:00")],
      ["retry", jst("2027-02-15T00:00:00")],
      ["retry", jst("2027-02-16T10:00:00")],
    ]);
    expect(await snapshot(m.api, active.id)).toEqual(activeBefore);

    const audit = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.api.merchantId), eq(auditEvents.action, "billing_settings.updated")));
    expect(audit.map((a) => (a.data as { contractsReplanned: number }).contractsReplanned)).toEqual([1]);
    // Applied again, the same settings change nothing more.
    expect((await m.api.call("POST", "/settings/billing/preview", settings)).body).toEqual({ object: "billing_settings_preview", subscriptions_changed: 0, example: null });

    // The re-planned retries run: Feb 13 declined again, Feb 15 paid with the card fixed.
    await m.f.advance(clock.id, new Date(jst("2027-02-13T12:00:00")));
    const invoice = await m.api.getOk(`/invoices/${sub.latest_invoice}`);
    expect(invoice.attempts.map((a: { status: string; created: string }) => [a.status, a.created])).toEqual([
      ["failed", jst("2027-02-10T00:00:00")],
      ["failed", jst("2027-02-13T00:00:00")],
    ]);
    await m.f.setCard(paymentMethod.id, "succeed");
    await m.f.advance(clock.id, new Date(jst("2027-02-15T12:00:00")));
    expect(await m.api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "active", current_period_end: jst("2027-03-15T00:00:00") });
    expect((await m.api.getOk(`/invoices/${sub.latest_invoice}`)).attempts).toHaveLength(3);
  });

  it("a re-planned retry whose time has already passed is due at once", async () => {
    const m = await merchant();
    const { sub, clock, paymentMethod } = await m.overdue({ at: "2027-02-12T12:00:00" });
    const settings = { ...DEFAULTS, retry_schedule_days: [1, 5] };
    const preview = await m.api.call("POST", "/settings/billing/preview", settings);
    expect(preview.body.example).toMatchObject({
      status_after: "past_due",
      after: [
        { kind: "retry", due_at: jst("2027-02-12T12:00:00") },
        { kind: "retry", due_at: jst("2027-02-15T00:00:00") },
      ],
    });
    expect((await m.api.call("PUT", "/settings/billing", settings)).status).toBe(200);
    expect(await scheduled(m.api, sub.id)).toEqual([
      ["retry", jst("2027-02-12T12:00:00")],
      ["retry", jst("2027-02-15T00:00:00")],
    ]);
    await m.f.setCard(paymentMethod.id, "succeed");
    await m.f.advance(clock.id, new Date(jst("2027-02-12T13:00:00")));
    expect(await m.api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "active", current_period_start: jst("2027-02-12T12:00:00"), current_period_end: jst("2027-03-12T00:00:00") });
    expect(await scheduled(m.api, sub.id)).toEqual([["renewal", jst("2027-03-12T00:00:00")]]);
  });

  it("no retries left under the new schedule: a past-due subscription becomes unpaid and its dunning starts, a notice already late sent now", async () => {
    const m = await merchant();
    const { sub, clock } = await m.overdue({ at: "2027-02-12T12:00:00" });
    const settings = { ...DEFAULTS, retry_schedule_days: [] };
    const preview = await m.api.call("POST", "/settings/billing/preview", settings);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      object: "billing_settings_preview",
      subscriptions_changed: 1,
      example: {
        subscription: sub.id,
        status_before: "past_due",
        status_after: "unpaid",
        before: [
          { kind: "retry", due_at: jst("2027-02-17T00:00:00") },
          { kind: "retry", due_at: jst("2027-02-24T00:00:00") },
        ],
        after: [
          // +1 day (Feb 11) has passed: sent now.
          { kind: "dunning_notice", due_at: jst("2027-02-12T12:00:00") },
          { kind: "dunning_notice", due_at: jst("2027-04-11T00:00:00") },
          { kind: "dunning_notice", due_at: jst("2027-04-18T00:00:00") },
          { kind: "withdrawal", due_at: jst("2027-04-18T01:00:00") },
        ],
      },
    });
    expect((await m.api.getOk(`/subscriptions/${sub.id}`)).status).toBe("past_due");

    expect((await m.api.call("PUT", "/settings/billing", settings)).status).toBe(200);
    expect(await m.api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "unpaid", next_action: { kind: "dunning_notice", due_at: jst("2027-02-12T12:00:00") } });
    expect(await scheduled(m.api, sub.id)).toEqual([
      ["dunning_notice", jst("2027-02-12T12:00:00")],
      ["dunning_notice", jst("2027-04-11T00:00:00")],
      ["dunning_notice", jst("2027-04-18T00:00:00")],
      ["withdrawal", jst("2027-04-18T01:00:00")],
    ]);
    await m.f.advance(clock.id, new Date(jst("2027-02-12T13:00:00")));
    expect((await m.api.getOk(`/mails?subscription=${sub.id}&template=unpaid_notice`)).data.map((x: { created: string }) => x.created)).toEqual([jst("2027-02-12T12:00:00")]);
  });

  it("a new dunning timeline re-plans an unpaid subscription's notices and withdrawal; steps that ran are not repeated", async () => {
    const m = await merchant();
    // A lost card: no retries, unpaid at once on Feb 10; the unpaid notice ran on Feb 11.
    const { sub, clock } = await m.overdue({ behavior: "lost_card", at: "2027-02-12T12:00:00" });
    expect(sub.status).toBe("unpaid");
    expect(await scheduled(m.api, sub.id)).toEqual([
      ["dunning_notice", jst("2027-04-11T00:00:00")],
      ["dunning_notice", jst("2027-04-18T00:00:00")],
      ["withdrawal", jst("2027-04-18T01:00:00")],
    ]);
    const settings = {
      retry_schedule_days: [7, 14],
      dunning: {
        notices: [
          { template: "unpaid_notice", days_after_paid_through: 1 },
          { template: "final_notice", days_after_paid_through: 30 },
        ],
        withdraw: { enabled: false, hours_after_last_notice: 0 },
      },
      card_on_file_window_days: 365,
    };
    const before = await snapshot(m.api, sub.id);
    const preview = await m.api.call("POST", "/settings/billing/preview", settings);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      object: "billing_settings_preview",
      subscriptions_changed: 1,
      example: {
        subscription: sub.id,
        status_before: "unpaid",
        status_after: "unpaid",
        before: [
          { kind: "dunning_notice", due_at: jst("2027-04-11T00:00:00") },
          { kind: "dunning_notice", due_at: jst("2027-04-18T00:00:00") },
          { kind: "withdrawal", due_at: jst("2027-04-18T01:00:00") },
        ],
        after: [{ kind: "dunning_notice", due_at: jst("2027-03-12T00:00:00") }],
      },
    });
    expect(await snapshot(m.api, sub.id)).toEqual(before);

    expect((await m.api.call("PUT", "/settings/billing", settings)).status).toBe(200);
    expect(await scheduled(m.api, sub.id)).toEqual([["dunning_notice", jst("2027-03-12T00:00:00")]]);
    // Never withdrawn now; each notice sent once.
    await m.f.advance(clock.id, new Date(jst("2027-07-01T00:00:00")));
    expect(await m.api.getOk(`/subscriptions/${sub.id}`)).toMatchObject({ status: "unpaid", next_action: null });
    const mails = (await m.api.getOk(`/mails?subscription=${sub.id}&limit=100`)).data as { template: string; created: string }[];
    expect(mails.filter((x) => x.template.endsWith("_notice")).map((x) => [x.template, x.created]).reverse()).toEqual([
      ["unpaid_notice", jst("2027-02-11T00:00:00")],
      ["final_notice", jst("2027-03-12T00:00:00")],
    ]);
  });

  it("counts every past-due and unpaid subscription of this merchant only; a plan with its own retry schedule keeps it", async () => {
    const m = await merchant();
    const a = await m.overdue();
    const b = await m.overdue({ behavior: "lost_card" });
    const ownSchedule = await m.f.plan({ name: "ピアノ教室 特別コース", amount: 5000, retry_schedule_days: [2] });
    const c = await m.overdue({ planId: ownSchedule.id });
    expect([a.sub.status, b.sub.status, c.sub.status]).toEqual(["past_due", "unpaid", "past_due"]);
    const cBefore = await snapshot(m.api, c.sub.id);
    const other = await merchant();
    const theirs = await other.overdue();
    const theirsBefore = await snapshot(other.api, theirs.sub.id);

    const settings = {
      ...DEFAULTS,
      retry_schedule_days: [1, 2, 3],
      dunning: { ...DEFAULTS.dunning, notices: DEFAULTS.dunning.notices.map((n) => (n.template === "final_notice" ? { ...n, days_after_paid_through: 45 } : n)) },
    };
    const preview = await m.api.call("POST", "/settings/billing/preview", settings);
    expect(preview.status).toBe(200);
    expect(preview.body.subscriptions_changed).toBe(2);
    expect([a.sub.id, b.sub.id]).toContain(preview.body.example.subscription);

    expect((await m.api.call("PUT", "/settings/billing", settings)).status).toBe(200);
    // Retries counted from the Feb 10 00:00 failure: +1, +2 and +3 days.
    expect(await scheduled(m.api, a.sub.id)).toEqual([
      ["retry", jst("2027-02-11T00:00:00")],
      ["retry", jst("2027-02-12T00:00:00")],
      ["retry", jst("2027-02-13T00:00:00")],
    ]);
    expect(await scheduled(m.api, b.sub.id)).toEqual([
      ["dunning_notice", jst("2027-02-11T00:00:00")],
      ["dunning_notice", jst("2027-03-27T00:00:00")],
      ["dunning_notice", jst("2027-04-18T00:00:00")],
      ["withdrawal", jst("2027-04-18T01:00:00")],
    ]);
    expect(await snapshot(m.api, c.sub.id)).toEqual(cBefore);
    expect(await snapshot(other.api, theirs.sub.id)).toEqual(theirsBefore);
    expect(await other.api.getOk("/settings/billing")).toEqual(DEFAULTS);
  });

  it("refuses invalid settings on the preview and the update alike, naming the field, and re-plans nothing", async () => {
    const m = await merchant();
    const { sub } = await m.overdue();
    const before = await snapshot(m.api, sub.id);
    const bad: [string, Record<string, unknown>, string, string?][] = [
      ["retry days that do not increase", { retry_schedule_days: [14, 7] }, "retry_schedule_days"],
      ["a negative retry day", { retry_schedule_days: [-1] }, "retry_schedule_days.0"],
      ["an unknown template", { dunning: { ...DEFAULTS.dunning, notices: [{ template: "welcome", days_after_paid_through: 1 }] } }, "dunning.notices.0.template"],
      ["a non-boolean switch", { dunning: { ...DEFAULTS.dunning, withdraw: { enabled: "no", hours_after_last_notice: 1 } } }, "dunning.withdraw.enabled"],
      ["a zero card-on-file window", { card_on_file_window_days: 0 }, "card_on_file_window_days"],
      ["another object", { object: "subscription" }, "object"],
      ["an unknown field", { dry_run: true }, "dry_run", "parameter_unknown"],
    ];
    for (const [method, path] of [
      ["POST", "/settings/billing/preview"],
      ["PUT", "/settings/billing"],
    ] as const) {
      for (const [what, override, param, code] of bad) {
        const r = await m.api.call(method, path, { ...DEFAULTS, retry_schedule_days: [1], ...override });
        expect(r.status, `${method} ${what}`).toBe(400);
        expect(r.body.error, `${method} ${what}`).toMatchObject({ type: "invalid_request_error", param });
        if (code) expect(r.body.error.code).toBe(code);
      }
      const missing = await m.api.call(method, path, { retry_schedule_days: [1] });
      expect(missing.body.error).toMatchObject({ code: "parameter_missing", param: "dunning" });
      expect((await m.api.call(method, path, "{")).body.error.code).toBe("body_not_json");
    }
    expect(await m.api.getOk("/settings/billing")).toEqual(DEFAULTS);
    expect(await snapshot(m.api, sub.id)).toEqual(before);
  });

  it("documents the preview and the update in the OpenAPI document, with one request body schema", async () => {
    const { api } = await merchant();
    const doc = (await api.call("GET", "/openapi.json", undefined, {}, null)).body;
    const preview = doc.paths["/settings/billing/preview"].post;
    const put = doc.paths["/settings/billing"].put;
    expect(preview.tags).toEqual(["Settings"]);
    const body = preview.requestBody.content["application/json"].schema;
    expect(body).toEqual(put.requestBody.content["application/json"].schema);
    expect(Object.keys(body.properties)).toEqual(["object", "retry_schedule_days", "dunning", "card_on_file_window_days"]);
    expect(body.additionalProperties).toBe(false);
    expect(preview.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/BillingSettingsPreview");
    expect(Object.keys(doc.components.schemas.BillingSettingsPreview.properties)).toEqual(["object", "subscriptions_changed", "example"]);
    expect(put.summary).toMatch(/planned again/);
    // Only POST on the preview.
    const get = await api.call("GET", "/settings/billing/preview");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});
