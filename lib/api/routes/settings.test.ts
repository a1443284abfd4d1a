import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";

const DEFAULT_BODY = {
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
const DEFAULTS = { object: "billing_settings", ...DEFAULT_BODY };
/** A dunning timeline PUT without its fallback invoice keeps the saved one (off for a new merchant). */
const withFallbackOff = <T extends { dunning: object }>(body: T) => ({ object: "billing_settings", ...body, dunning: { ...body.dunning, fallback_invoice: { enabled: false, days_after_paid_through: 14 } } });

const UPDATE = {
  retry_schedule_days: [5, 10],
  dunning: { notices: [{ template: "unpaid_notice", days_after_paid_through: 3 }], withdraw: { enabled: false, hours_after_last_notice: 0 } },
  card_on_file_window_days: 90,
};

describe("API: billing settings", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  let other: Awaited<ReturnType<typeof setupTestApi>>;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    other = await setupTestApi(database);
  });
  afterAll(async () => database.close());

  it("reads the defaults a new merchant starts with", async () => {
    const r = await api.call("GET", "/settings/billing");
    expect(r.status).toBe(200);
    expect(r.body).toEqual(DEFAULTS);
  });

  it("refuses invalid settings naming the field, and changes nothing", async () => {
    const notices = UPDATE.dunning.notices;
    const bad: [string, Record<string, unknown>, string][] = [
      ["a negative retry day", { retry_schedule_days: [-1, 7] }, "retry_schedule_days.0"],
      ["a fractional retry day", { retry_schedule_days: [1.5] }, "retry_schedule_days.0"],
      ["more than 10 retries", { retry_schedule_days: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, "retry_schedule_days"],
      ["retry days that do not increase", { retry_schedule_days: [14, 7] }, "retry_schedule_days"],
      ["an unknown template", { dunning: { ...UPDATE.dunning, notices: [{ template: "welcome", days_after_paid_through: 1 }] } }, "dunning.notices.0.template"],
      ["negative notice days", { dunning: { ...UPDATE.dunning, notices: [{ template: "final_notice", days_after_paid_through: -1 }] } }, "dunning.notices.0.days_after_paid_through"],
      ["more than 10 notices", { dunning: { ...UPDATE.dunning, notices: Array.from({ length: 11 }, (_, i) => ({ template: "unpaid_notice", days_after_paid_through: i })) } }, "dunning.notices"],
      ["negative withdrawal hours", { dunning: { ...UPDATE.dunning, withdraw: { enabled: true, hours_after_last_notice: -1 } } }, "dunning.withdraw.hours_after_last_notice"],
      ["a non-boolean switch", { dunning: { notices, withdraw: { enabled: "yes", hours_after_last_notice: 1 } } }, "dunning.withdraw.enabled"],
      ["no withdraw block", { dunning: { notices } }, "dunning.withdraw"],
      ["negative fallback invoice days", { dunning: { ...UPDATE.dunning, fallback_invoice: { enabled: true, days_after_paid_through: -1 } } }, "dunning.fallback_invoice.days_after_paid_through"],
      ["a zero card-on-file window", { card_on_file_window_days: 0 }, "card_on_file_window_days"],
      ["an unknown field", { grace_days: 3 }, "grace_days"],
      ["an unknown nested field", { dunning: { ...UPDATE.dunning, cc: "boss@example.jp" } }, "dunning.cc"],
      ["an unknown notice field", { dunning: { ...UPDATE.dunning, notices: [{ ...notices[0], subject: "x" }] } }, "dunning.notices.0.subject"],
    ];
    for (const [what, override, param] of bad) {
      const res = await api.call("PUT", "/settings/billing", { ...UPDATE, ...override });
      expect(res.status, what).toBe(400);
      expect(res.body.error, what).toMatchObject({ type: "invalid_request_error", param });
    }
    const missing = await api.call("PUT", "/settings/billing", { retry_schedule_days: UPDATE.retry_schedule_days, dunning: UPDATE.dunning });
    expect(missing.body.error).toMatchObject({ code: "parameter_missing", param: "card_on_file_window_days" });
    expect((await api.call("GET", "/settings/billing")).body).toEqual(DEFAULTS);
  });

  it("replaces the settings for this merchant only, with an audit entry", async () => {
    const r = await api.call("PUT", "/settings/billing", UPDATE);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(withFallbackOff(UPDATE));
    expect((await api.call("GET", "/settings/billing")).body).toEqual(r.body);
    expect((await other.call("GET", "/settings/billing")).body).toEqual(DEFAULTS);

    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.merchantId, api.merchantId), eq(auditEvents.action, "billing_settings.updated")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "api_key", targetType: "merchant", targetId: api.merchantId });
    expect(audit[0]!.data).toMatchObject({ before: { retryScheduleDays: [7, 14] }, after: { retryScheduleDays: [5, 10], cardOnFileWindowDays: 90 } });

    // Every template of the known set, an empty retry schedule (no retries) and no notices are all allowed.
    const minimal = { retry_schedule_days: [], dunning: { notices: [], withdraw: { enabled: true, hours_after_last_notice: 24 } }, card_on_file_window_days: 1 };
    expect((await api.call("PUT", "/settings/billing", minimal)).body).toEqual(withFallbackOff(minimal));
    // The object GET returns goes back as it is (its read-only `object` accepted when it says what GET says).
    expect((await api.call("PUT", "/settings/billing", await api.getOk("/settings/billing"))).body).toEqual(withFallbackOff(minimal));
    // The fallback invoice turned on, then kept by a PUT that leaves it out, then turned off.
    const fallbackOn = { ...minimal, dunning: { ...minimal.dunning, fallback_invoice: { enabled: true, days_after_paid_through: 10 } } };
    expect((await api.call("PUT", "/settings/billing", fallbackOn)).body).toEqual({ object: "billing_settings", ...fallbackOn });
    expect((await api.call("PUT", "/settings/billing", minimal)).body).toEqual({ object: "billing_settings", ...fallbackOn });
    expect((await api.call("PUT", "/settings/billing", DEFAULTS)).body).toEqual(DEFAULTS);
    const wrongObject = await api.call("PUT", "/settings/billing", { ...DEFAULTS, object: "subscription" });
    expect(wrongObject.status).toBe(400);
    expect(wrongObject.body.error.param).toBe("object");
    expect((await api.call("PUT", "/settings/billing", DEFAULT_BODY)).body).toEqual(DEFAULTS);
  });

  it("allows only GET and PUT, and documents both", async () => {
    const post = await api.call("POST", "/settings/billing", UPDATE);
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, PUT");
    const doc = (await api.call("GET", "/openapi.json", undefined, {}, null)).body;
    expect(doc.components.schemas.BillingSettings).toBeDefined();
    const body = doc.paths["/settings/billing"].put.requestBody.content["application/json"].schema;
    expect(body.properties.dunning.properties.notices.items.properties.template.enum).toEqual(["unpaid_notice", "final_notice", "withdrawal_notice"]);
    expect(body.properties.retry_schedule_days.maxItems).toBe(10);
  });
});
