import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, mails, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { enqueueMails } from "@/lib/mail/enqueue-mail";
import type { Mailer } from "@/lib/mail/mailer";
import { renderMail } from "@/lib/mail/render-mail";
import { GIVE_UP_AFTER_MS } from "@/lib/webhooks/backoff";
import { openIsolatedTestDatabase } from "@/test/support/inngest";
import { rejection, setupTestMerchant, signedUpContract, staffMemberOf } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { readmeVerifier, type VerifyKeizokuSignature } from "@/test/support/readme-webhook-verify";
import { cancelSubscription } from "./cancel-subscription";
import type { Clock } from "./context";
import { createCustomer } from "./create-customer";
import { deliverMails } from "./deliver-mails";
import { deliverWebhooks } from "./deliver-webhooks";
import { recordMailWebhook } from "./record-mail-webhook";
import { createWebhookEndpoint, deleteWebhookEndpoint, resendEvent, updateWebhookEndpoint, type UrlCheck } from "./webhook-endpoints";

const LOCAL: UrlCheck = { policy: { allowLoopback: true }, lookup: async () => [{ address: "127.0.0.1", family: 4 }] };
const PRODUCTION = (addresses: string[] = ["93.184.216.34"]): UrlCheck => ({ policy: { allowLoopback: false }, lookup: async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })) });

type Received = { body: string; signature: string | undefined };

/** A real HTTP receiver that answers `status(n)` to its n-th request (1-based). */
async function receiver(status: (n: number) => number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ body, signature: req.headers["keizoku-signature"] as string | undefined });
      res.writeHead(status(received.length), { "content-type": "text/plain" });
      res.end(`answer ${received.length}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

function movableClock(start: Date): Clock & { set(at: Date): void; add(ms: number): void } {
  let current = start;
  return { now: () => new Date(current.getTime()), set: (at) => (current = at), add: (ms) => (current = new Date(current.getTime() + ms)) };
}

describe("outgoing webhooks", () => {
  let database: Database;
  let verify: VerifyKeizokuSignature;
  const servers: Server[] = [];
  const START = new Date("2027-01-01T00:00:00Z");
  const pass = (clock: Clock, check: UrlCheck = LOCAL) => deliverWebhooks(testPlatform(database.db, { clock }), { limit: 50, concurrency: 4, leaseSeconds: 60, check });

  beforeAll(async () => {
    // The outbox worker and the delivery passes act on every merchant's rows: on PostgreSQL, where test files share
    // one database, mails other files left queued would take this file's place in a pass.
    database = await openIsolatedTestDatabase();
    verify = await readmeVerifier();
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await database.close();
  });

  async function local(status: (n: number) => number) {
    const r = await receiver(status);
    servers.push(r.server);
    return r;
  }

  it("writes events with the object's snapshot in the change's transaction, and queues them to endpoints that listen", async () => {
    const m = await setupTestMerchant(database);
    const all = await createWebhookEndpoint(m.ctx(), { url: "http://localhost:9/all", enabledEvents: ["*"] }, LOCAL);
    const onlyCancels = await createWebhookEndpoint(m.ctx(), { url: "http://localhost:9/cancels", enabledEvents: ["subscription.canceled", "subscription.updated"] }, LOCAL);
    const { subscription, customer, clock } = await signedUpContract(m);
    await cancelSubscription(m.ctx(), { subscriptionId: subscription.id, reason: "引っ越し" });

    const events = await database.db.select().from(webhookEvents).where(eq(webhookEvents.merchantId, m.merchantId)).orderBy(asc(webhookEvents.id));
    expect(events.map((e) => e.type)).toEqual(["customer.created", "subscription.created", "invoice.paid", "subscription.updated"]);
    const created = events.find((e) => e.type === "subscription.created")!;
    expect(created).toMatchObject({ objectType: "subscription", objectId: subscription.id, testClockId: clock.id });
    expect(created.object).toMatchObject({ id: subscription.id, object: "subscription", customer: customer.id, test_clock: clock.id, cancel_at_period_end: false });
    // The snapshot is the object at the time of its event, not now.
    expect(events.at(-1)!.object).toMatchObject({ cancel_at_period_end: true, cancel_reason: "引っ越し" });
    expect(events.find((e) => e.type === "invoice.paid")!.object).toMatchObject({ object: "invoice", status: "paid", subscription: subscription.id });

    const deliveries = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, m.merchantId));
    expect(deliveries.filter((d) => d.endpointId === all.id)).toHaveLength(4);
    expect(deliveries.filter((d) => d.endpointId === onlyCancels.id).map((d) => d.eventId)).toEqual([events.at(-1)!.id]);
    await deleteWebhookEndpoint(m.ctx(), { endpointId: all.id });
    await deleteWebhookEndpoint(m.ctx(), { endpointId: onlyCancels.id });
  });

  it("records mail.sent when the outbox hands a mail over, and mail.bounced when the provider reports a bounce", async () => {
    const m = await setupTestMerchant(database);
    await enqueueMails(database.db, [{ merchantId: m.merchantId, template: "welcome", to: "bounce@example.jp", locale: "ja", variables: { merchant: "テスト商店" }, idempotencyKey: "hook-mail", at: START }]);
    const providerIds = new Map<string, string>();
    const mailer: Mailer = {
      name: "test",
      async send(batch) {
        return batch.map((mail) => {
          providerIds.set(mail.to, `msg_${mail.to}`);
          return { status: "sent" as const, providerMessageId: `msg_${mail.to}` };
        });
      },
    };
    await deliverMails({ ...testPlatform(database.db, { clock: movableClock(START) }), mailer }, { limit: 100, batchSize: 10, concurrency: 1, leaseSeconds: 60, mailFrom: "mail@keizoku.test" });
    await recordMailWebhook(testPlatform(database.db), { eventId: `svix_${m.merchantId}`, type: "email.bounced", data: { email_id: providerIds.get("bounce@example.jp")!, bounce: { type: "Permanent" } } });
    const events = await database.db.select().from(webhookEvents).where(eq(webhookEvents.merchantId, m.merchantId)).orderBy(asc(webhookEvents.id));
    expect(events.map((e) => [e.type, e.objectType])).toEqual([
      ["mail.sent", "mail"],
      ["mail.bounced", "mail"],
    ]);
    expect(events[0]!.object).toMatchObject({ object: "mail", template: "welcome", to: "bounce@example.jp", status: "sent" });
  });

  it("delivers to an endpoint that fails the first two times once it recovers, with the same event id, signed as the README verifies", async () => {
    const m = await setupTestMerchant(database);
    const r = await local((n) => (n <= 2 ? 500 : 200));
    const endpoint = await createWebhookEndpoint(m.ctx(), { url: r.url, enabledEvents: ["customer.created"], description: "会計連携" }, LOCAL);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const customer = await createCustomer(m.ctx(), { email: "hanako@example.jp", name: "山田 花子" });

    const clock = movableClock(START);
    expect(await pass(clock)).toMatchObject({ claimed: 1, retried: 1 });
    expect(await pass(clock)).toMatchObject({ claimed: 0 });
    clock.add(60_000);
    expect(await pass(clock)).toMatchObject({ claimed: 1, retried: 1 });
    clock.add(4 * 60_000);
    expect(await pass(clock)).toMatchObject({ claimed: 0 });
    clock.add(60_000);
    expect(await pass(clock)).toMatchObject({ claimed: 1, delivered: 1 });
    clock.add(86_400_000);
    expect(await pass(clock)).toMatchObject({ claimed: 0 });

    expect(r.received).toHaveLength(3);
    const bodies = r.received.map((x) => JSON.parse(x.body) as { id: string; type: string; data: { object: { id: string; name: string } } });
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(bodies[2]).toMatchObject({ type: "customer.created", data: { object: { id: customer.id, name: "山田 花子" } } });
    const sentAt = [START.getTime(), START.getTime() + 60_000, START.getTime() + 6 * 60_000];
    r.received.forEach((x, i) => expect(verify(x.body, x.signature, endpoint.secret, 300, sentAt[i])).toBe(true));
    expect(verify(r.received[0]!.body, r.received[0]!.signature, "whsec_wrong", 300, sentAt[0])).toBe(false);

    const log = await database.db.select().from(webhookAttempts).where(eq(webhookAttempts.endpointId, endpoint.id)).orderBy(asc(webhookAttempts.attemptNumber));
    expect(log.map((a) => [a.attemptNumber, a.statusCode, a.responseBody])).toEqual([
      [1, 500, "answer 1"],
      [2, 500, "answer 2"],
      [3, 200, "answer 3"],
    ]);
    expect(log[0]!.requestBody).toBe(r.received[0]!.body);
    expect(log[0]!.requestHeaders["Keizoku-Signature"]).toBe(r.received[0]!.signature);
    const [delivery] = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200, leaseUntil: null });
    const [after] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(after!.failingSince).toBeNull();

    // Resending a delivered event: a new delivery, the same event id.
    const { deliveryId } = await resendEvent(m.ctx(), { endpointId: endpoint.id, eventId: bodies[0]!.id });
    expect(await pass(clock)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(r.received).toHaveLength(4);
    expect(JSON.parse(r.received[3]!.body).id).toBe(bodies[0]!.id);
    const [resent] = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
    expect(resent).toMatchObject({ status: "delivered", resend: true });
  });

  it("disables an endpoint failing for three days, audits it and mails the owners; re-enabling starts afresh", async () => {
    const m = await setupTestMerchant(database);
    const owner = await staffMemberOf(database, m, "owner", START);
    const r = await local(() => 503);
    const endpoint = await createWebhookEndpoint(owner, { url: r.url, enabledEvents: ["*"] }, LOCAL);
    await createCustomer(m.ctx(), { email: "taro@example.jp", name: "山田 太郎" });
    const clock = movableClock(START);
    await pass(clock);
    clock.add(GIVE_UP_AFTER_MS - 1000);
    expect(await pass(clock)).toMatchObject({ claimed: 1, retried: 1 });
    clock.add(1000);
    expect(await pass(clock)).toMatchObject({ claimed: 1, disabled: 1 });

    const [row] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row).toMatchObject({ status: "disabled", disabledReason: "failing" });
    const audit = await database.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, endpoint.id), eq(auditEvents.action, "webhook_endpoint.disabled")));
    expect(audit).toMatchObject([{ actorType: "system", data: { reason: "failing" } }]);
    const mailed = await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "webhook_endpoint_disabled")));
    expect(mailed.map((x) => x.toAddress)).toEqual([`owner-${m.merchantId}@staff.test`.toLowerCase()]);
    expect(mailed[0]!.variables).toMatchObject({ endpoint_url: r.url, webhooks_url: "http://localhost:3000/console/settings/webhooks" });
    const rendered = await renderMail({ template: "webhook_endpoint_disabled", locale: "ja", variables: mailed[0]!.variables, override: null });
    expect(rendered.subject).toBe("【テスト商店】Webhook エンドポイントを停止しました");
    expect(rendered.text).toContain(r.url);
    expect(rendered.text).toContain("2027年1月1日");

    // Nothing more is sent to a disabled endpoint, and it cannot be resent to.
    clock.add(86_400_000);
    expect(await pass(clock)).toMatchObject({ claimed: 0 });
    const [event] = await database.db.select().from(webhookEvents).where(eq(webhookEvents.merchantId, m.merchantId));
    expect(await rejection(resendEvent(owner, { endpointId: endpoint.id, eventId: event!.id }))).toMatchObject({ code: "invalid", details: { reason: "endpoint_disabled" } });
    const enabled = await updateWebhookEndpoint(owner, { endpointId: endpoint.id, enabled: true });
    expect(enabled).toMatchObject({ status: "enabled", disabledReason: null, failingSince: null });
  });

  it("refuses private and loopback URLs in production, when saved and again when delivering", async () => {
    const m = await setupTestMerchant(database);
    for (const url of ["https://10.0.0.8/hook", "https://127.0.0.1/hook", "http://localhost:3000/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "http://hooks.example.com/hook"]) {
      expect(await rejection(createWebhookEndpoint(m.ctx(), { url, enabledEvents: ["*"] }, PRODUCTION())), url).toMatchObject({ code: "invalid", details: { param: "url" } });
    }
    expect(await rejection(createWebhookEndpoint(m.ctx(), { url: "https://internal.example.com/hook", enabledEvents: ["*"] }, PRODUCTION(["93.184.216.34", "192.168.0.10"])))).toMatchObject({
      code: "invalid",
      details: { param: "url", reason: "url_refused" },
    });
    expect(await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.merchantId, m.merchantId))).toEqual([]);

    // Saved while the name was public; by delivery time it resolves to the metadata address: no request is made.
    const endpoint = await createWebhookEndpoint(m.ctx(), { url: "https://rebind.example.com/hook", enabledEvents: ["*"] }, PRODUCTION());
    await createCustomer(m.ctx(), { email: "rebind@example.jp", name: "再束縛" });
    const clock = movableClock(START);
    expect(await pass(clock, PRODUCTION(["169.254.169.254"]))).toMatchObject({ claimed: 1, retried: 1 });
    const [attempt] = await database.db.select().from(webhookAttempts).where(eq(webhookAttempts.endpointId, endpoint.id));
    expect(attempt).toMatchObject({ statusCode: null });
    expect(attempt!.error).toMatch(/169\.254\.169\.254/);
  });

  it("lets owners and admins manage endpoints; others are refused; bad input changes nothing", async () => {
    const m = await setupTestMerchant(database);
    const admin = await staffMemberOf(database, m, "admin", START);
    const operator = await staffMemberOf(database, m, "operator", START);
    const viewer = await staffMemberOf(database, m, "viewer", START);
    const created = await createWebhookEndpoint(admin, { url: "http://localhost:4000/hook", enabledEvents: ["invoice.paid", "invoice.paid", "customer.created"] }, LOCAL);
    expect(created.enabledEvents).toEqual(["customer.created", "invoice.paid"]);
    for (const who of [operator, viewer]) {
      expect(await rejection(createWebhookEndpoint(who, { url: "http://localhost:4000/x", enabledEvents: ["*"] }, LOCAL))).toMatchObject({ code: "forbidden" });
      expect(await rejection(updateWebhookEndpoint(who, { endpointId: created.id, enabled: false }, LOCAL))).toMatchObject({ code: "forbidden" });
      expect(await rejection(deleteWebhookEndpoint(who, { endpointId: created.id }))).toMatchObject({ code: "forbidden" });
    }
    expect(await rejection(createWebhookEndpoint(admin, { url: "http://localhost:4000/x", enabledEvents: [] }, LOCAL))).toMatchObject({ code: "invalid" });
    expect(await rejection(createWebhookEndpoint(admin, { url: "http://localhost:4000/x", enabledEvents: ["invoice.exploded" as "*"] }, LOCAL))).toMatchObject({ code: "invalid" });
    expect(await rejection(createWebhookEndpoint(admin, { url: "", enabledEvents: ["*"] }, LOCAL))).toMatchObject({ code: "invalid" });
    expect(await rejection(updateWebhookEndpoint(admin, { endpointId: "we_nope", enabled: false }, LOCAL))).toMatchObject({ code: "not_found" });
    const other = await setupTestMerchant(database);
    expect(await rejection(deleteWebhookEndpoint(other.ctx(), { endpointId: created.id }))).toMatchObject({ code: "not_found" });
    expect(await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.merchantId, m.merchantId))).toHaveLength(1);
    const disabled = await updateWebhookEndpoint(admin, { endpointId: created.id, enabled: false, description: "停止中" }, LOCAL);
    expect(disabled).toMatchObject({ status: "disabled", disabledReason: "staff", description: "停止中" });
  });
});
