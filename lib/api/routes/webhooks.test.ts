import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";

describe("API: webhook endpoints and events", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  let other: Awaited<ReturnType<typeof setupTestApi>>;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    other = await setupTestApi(database);
  });
  afterAll(async () => database.close());

  it("creates an endpoint whose secret is shown once, lists, updates, resends to and deletes it", async () => {
    const created = await api.call("POST", "/webhook_endpoints", { url: "http://localhost:4010/hooks", enabled_events: ["customer.created"], description: "会計連携" });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^we_/),
      object: "webhook_endpoint",
      url: "http://localhost:4010/hooks",
      description: "会計連携",
      enabled_events: ["customer.created"],
      status: "enabled",
      disabled_reason: null,
      secret: expect.stringMatching(/^whsec_/),
      created: expect.any(String),
    });
    const read = await api.getOk(`/webhook_endpoints/${created.body.id}`);
    expect(read.secret).toBeUndefined();
    expect((await api.getOk("/webhook_endpoints")).data.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
    expect((await other.call("GET", `/webhook_endpoints/${created.body.id}`)).status).toBe(404);

    const customer = (await api.call("POST", "/customers", { email: "hook@example.jp", name: "フック 太郎" })).body;
    const events = await api.getOk("/events?type=customer.created");
    expect(events.data).toEqual([{ id: expect.stringMatching(/^evt_/), object: "event", type: "customer.created", created: expect.any(String), data: { object: customer }, test_clock: null }]);
    expect(await api.getOk(`/events/${events.data[0].id}`)).toEqual(events.data[0]);
    expect((await other.call("GET", `/events/${events.data[0].id}`)).status).toBe(404);

    const resent = await api.call("POST", `/webhook_endpoints/${created.body.id}/resend`, { event: events.data[0].id });
    expect(resent.body).toEqual({ delivery: expect.stringMatching(/^whd_/), event: events.data[0].id });

    const disabled = await api.call("POST", `/webhook_endpoints/${created.body.id}`, { disabled: true, enabled_events: ["*"] });
    expect(disabled.body).toMatchObject({ status: "disabled", disabled_reason: "staff", enabled_events: ["*"] });
    const deleted = await api.call("DELETE", `/webhook_endpoints/${created.body.id}`);
    expect(deleted.body).toEqual({ id: created.body.id, object: "webhook_endpoint", deleted: true });
    expect((await api.call("GET", `/webhook_endpoints/${created.body.id}`)).status).toBe(404);
  });

  it("answers bad input with 400 and the field, and refuses private addresses", async () => {
    const bad = await api.call("POST", "/webhook_endpoints", { url: "https://10.0.0.1/hook", enabled_events: ["*"] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ param: "url" });
    expect((await api.call("POST", "/webhook_endpoints", { url: "http://localhost:4010/x", enabled_events: ["nope"] })).status).toBe(400);
    expect((await api.call("POST", "/webhook_endpoints", { url: "http://localhost:4010/x", enabled_events: [] })).status).toBe(400);
    expect((await api.getOk("/webhook_endpoints")).data).toEqual([]);
  });
});
