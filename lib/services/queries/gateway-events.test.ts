import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { eq } from "drizzle-orm";
import { disputes, gatewayEvents, type GatewayEventStatus, invoices } from "@/db/schema";
import { newId } from "@/lib/ids";
import { fixedClock, type ServiceContext } from "@/lib/services/context";
import { endUserContext } from "@/lib/services/contexts";
import { createCustomer } from "@/lib/services/create-customer";
import { reprocessGatewayEvent } from "@/lib/services/process-gateway-events";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupTestMerchant, signedUpContract, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { alreadyWaiting } from "./gateway-event-search";
import { getGatewayEvent, listGatewayEvents, stripeWebhookUrl } from "./gateway-events";
import { latestDisputes } from "./invoices";

const NOW = new Date("2027-03-01T03:00:00Z");
const minutesAgo = (n: number) => new Date(NOW.getTime() - n * 60_000);

describe("received gateway events for the console", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;
  let owner: ServiceContext;
  let viewer: ServiceContext;
  const ids: Record<string, string> = {};

  /** A row as intake stores it and processing leaves it (the lead's services write these; here only their outcome matters). */
  async function stored(merchantId: string, key: string, fields: { type: string; eventId: string; objectId: string | null; minutesAgo: number; status: GatewayEventStatus; outcome?: string; lastError?: string; nextAttemptAt?: Date; attempts?: number }) {
    const id = newId("gev");
    const receivedAt = minutesAgo(fields.minutesAgo);
    await database.db.insert(gatewayEvents).values({
      id,
      merchantId,
      gateway: "stripe",
      eventId: fields.eventId,
      type: fields.type,
      objectId: fields.objectId,
      livemode: "test",
      payload: { id: fields.eventId, type: fields.type, data: { object: { id: fields.objectId, amount: 3000 } } },
      occurredAt: receivedAt,
      receivedAt,
      status: fields.status,
      outcome: fields.outcome ?? null,
      attempts: fields.attempts ?? (fields.status === "pending" ? 0 : 1),
      lastError: fields.lastError ?? null,
      nextAttemptAt: fields.nextAttemptAt ?? null,
      processedAt: fields.status === "processed" || fields.status === "ignored" ? receivedAt : null,
    });
    ids[key] = id;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database, { now: NOW });
    other = await setupTestMerchant(database, { now: NOW });
    owner = await staffMemberOf(database, m, "owner", NOW);
    viewer = await staffMemberOf(database, m, "viewer", NOW);
    // Stored in an order other than their received times: the list goes by when they were received.
    await stored(m.merchantId, "paid", { type: "payment_intent.succeeded", eventId: "evt_1Paid", objectId: "pi_3Paid", minutesAgo: 50, status: "processed", outcome: "settled_paid" });
    await stored(m.merchantId, "foreign", { type: "customer.created", eventId: "evt_2Other", objectId: "cus_Elsewhere", minutesAgo: 40, status: "ignored", outcome: "type_not_handled" });
    await stored(m.merchantId, "attention", { type: "payment_intent.succeeded", eventId: "evt_3Late", objectId: "pi_3Late", minutesAgo: 30, status: "failed", outcome: "needs_attention", lastError: "Stripe took the payment pi_3Late" });
    await stored(m.merchantId, "retrying", { type: "charge.refunded", eventId: "evt_4Retry", objectId: "ch_3Refund", minutesAgo: 20, status: "pending", outcome: "error", lastError: "connection reset", attempts: 2, nextAttemptAt: new Date(NOW.getTime() + 600_000) });
    await stored(m.merchantId, "waiting", { type: "charge.dispute.created", eventId: "evt_5New", objectId: "dp_1Dispute", minutesAgo: 10, status: "pending" });
    await stored(other.merchantId, "stranger", { type: "payment_intent.succeeded", eventId: "evt_9Paid", objectId: "pi_3Paid", minutesAgo: 5, status: "processed", outcome: "settled_paid" });
  });
  afterAll(async () => database.close());

  const listed = async (input: Parameters<typeof listGatewayEvents>[1], ctx: ServiceContext = owner) => (await listGatewayEvents(ctx, input)).rows.map((r) => r.eventId);

  it("lists the merchant's own events only, newest received first, without their payloads", async () => {
    const page = await listGatewayEvents(owner, {});
    expect(page.rows.map((r) => r.eventId)).toEqual(["evt_5New", "evt_4Retry", "evt_3Late", "evt_2Other", "evt_1Paid"]);
    expect(page.hasMore).toBe(false);
    expect(page.rows[2]).toMatchObject({ status: "failed", outcome: "needs_attention", lastError: "Stripe took the payment pi_3Late", attempts: 1, type: "payment_intent.succeeded" });
    expect(page.rows[0]).not.toHaveProperty("payload");
    expect(await listed({}, await staffMemberOf(database, other, "owner", NOW))).toEqual(["evt_9Paid"]);
  });

  it("filters by status, by type, and by part of the event's or the object's id, all together", async () => {
    expect(await listed({ status: "failed" })).toEqual(["evt_3Late"]);
    expect(await listed({ status: "pending" })).toEqual(["evt_5New", "evt_4Retry"]);
    expect(await listed({ status: "ignored" })).toEqual(["evt_2Other"]);
    expect(await listed({ type: "payment_intent.succeeded" })).toEqual(["evt_3Late", "evt_1Paid"]);
    expect(await listed({ q: "pi_3" })).toEqual(["evt_3Late", "evt_1Paid"]);
    expect(await listed({ q: "EVT_4" })).toEqual(["evt_4Retry"]);
    expect(await listed({ q: "  dp_1dispute " })).toEqual(["evt_5New"]);
    expect(await listed({ q: "pi_3 late" })).toEqual(["evt_3Late"]);
    expect(await listed({ type: "payment_intent.succeeded", status: "processed", q: "paid" })).toEqual(["evt_1Paid"]);
    // Another merchant's event with the same object id is not found; LIKE's wildcards are characters.
    expect(await listed({ q: "evt_9" })).toEqual([]);
    expect(await listed({ q: "%" })).toEqual([]);
    expect(await listed({ type: "payment_intent.payment_failed" })).toEqual([]);
  });

  it("pages by the last row shown, keeping the filters", async () => {
    const first = await listGatewayEvents(owner, { limit: 2 });
    expect(first.rows.map((r) => r.eventId)).toEqual(["evt_5New", "evt_4Retry"]);
    expect(first.hasMore).toBe(true);
    const second = await listGatewayEvents(owner, { limit: 2, after: first.rows.at(-1)!.id });
    expect(second.rows.map((r) => r.eventId)).toEqual(["evt_3Late", "evt_2Other"]);
    expect(second.hasMore).toBe(true);
    const last = await listGatewayEvents(owner, { limit: 2, after: second.rows.at(-1)!.id });
    expect(last.rows.map((r) => r.eventId)).toEqual(["evt_1Paid"]);
    expect(last.hasMore).toBe(false);
    expect(await listed({ limit: 1, after: ids.waiting, type: "payment_intent.succeeded" })).toEqual(["evt_3Late"]);
    // Another merchant's id is no place to start from.
    expect(await listed({ after: ids.stranger })).toEqual([]);
  });

  it("refuses filters it cannot read with a clear invalid, and changes nothing", async () => {
    expect((await rejection(listGatewayEvents(owner, { status: "done" as never }))).code).toBe("invalid");
    expect((await rejection(listGatewayEvents(owner, { type: "payment intent; drop" }))).code).toBe("invalid");
    expect((await rejection(listGatewayEvents(owner, { after: "sub_123" }))).code).toBe("invalid");
    expect((await rejection(listGatewayEvents(owner, { q: "x".repeat(201) }))).code).toBe("invalid");
  });

  it("opens one event with its payload; another merchant's is not found", async () => {
    const event = await getGatewayEvent(viewer, ids.attention!);
    expect(event.payload).toEqual({ id: "evt_3Late", type: "payment_intent.succeeded", data: { object: { id: "pi_3Late", amount: 3000 } } });
    expect(event.lastError).toBe("Stripe took the payment pi_3Late");
    const missing = await rejection(getGatewayEvent(owner, ids.stranger!));
    expect(missing.code).toBe("not_found");
  });

  it("gives the merchant's own webhook URL to register at Stripe", () => {
    expect(stripeWebhookUrl(owner)).toBe(`${owner.links.baseUrl}/api/webhooks/stripe/${m.merchantId}`);
    expect(stripeWebhookUrl(owner)).toMatch(/^https?:\/\/[^/]+\/api\/webhooks\/stripe\/mer_[0-9a-f]+$/);
  });

  it("is read by staff of any role, never by a customer", async () => {
    expect(await listed({}, viewer)).toHaveLength(5);
    expect(await listed({}, await staffMemberOf(database, m, "operator", NOW))).toHaveLength(5);
    const customer = await createCustomer(m.ctx(), { email: "reader@example.jp", name: "読む 人" });
    const asCustomer = endUserContext(testPlatform(database.db, { clock: fixedClock(NOW) }), { merchantId: m.merchantId, customerId: customer.id });
    expect((await rejection(listGatewayEvents(asCustomer, {}))).code).toBe("forbidden");
    expect((await rejection(getGatewayEvent(asCustomer, ids.paid!))).code).toBe("forbidden");
  });

  it("says an event is already waiting exactly when processing it again is refused as already pending", async () => {
    const row = async (key: string) => getGatewayEvent(owner, ids[key]!);
    expect(alreadyWaiting(await row("waiting"), NOW)).toBe(true);
    const refused = await rejection(reprocessGatewayEvent(owner, { id: ids.waiting! }));
    expect(refused.details.reason).toBe("already_pending");

    // A retry due later, a failure, an ignored event: each may be processed again now; a viewer may not ask.
    for (const key of ["retrying", "attention", "foreign"]) {
      expect(alreadyWaiting(await row(key), NOW)).toBe(false);
      expect((await rejection(reprocessGatewayEvent(viewer, { id: ids[key]! }))).code).toBe("forbidden");
      await reprocessGatewayEvent(owner, { id: ids[key]! });
      expect(alreadyWaiting(await row(key), NOW)).toBe(true);
    }
    expect(await listed({ status: "pending" })).toEqual(["evt_5New", "evt_4Retry", "evt_3Late", "evt_2Other"]);
    expect(await listed({ status: "failed" })).toEqual([]);
  });
});

describe("chargebacks on a contract's invoices", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("gives each disputed invoice its latest chargeback, only the merchant's own", async () => {
    const m = await setupTestMerchant(database, { now: NOW });
    const other = await setupTestMerchant(database, { now: NOW });
    const { subscription } = await signedUpContract(m);
    const [invoice] = await database.db.select().from(invoices).where(eq(invoices.subscriptionId, subscription.id));
    const dispute = (id: string, status: "needs_response" | "won", openedAt: Date) => ({
      id: newId("dp"),
      merchantId: m.merchantId,
      invoiceId: invoice!.id,
      subscriptionId: subscription.id,
      gateway: "stripe",
      gatewayDisputeId: id,
      amount: invoice!.total,
      currency: invoice!.currency,
      reason: "fraudulent",
      status,
      openedAt,
      updatedAt: openedAt,
    });
    expect(await latestDisputes(m.ctx(), [invoice!.id])).toEqual(new Map());
    await database.db.insert(disputes).values([dispute("dp_first", "won", minutesAgo(60)), dispute("dp_second", "needs_response", minutesAgo(5))]);
    const found = await latestDisputes(m.ctx(), [invoice!.id]);
    expect([...found.keys()]).toEqual([invoice!.id]);
    expect(found.get(invoice!.id)).toMatchObject({ status: "needs_response", reason: "fraudulent", amount: invoice!.total });
    expect(await latestDisputes(other.ctx(), [invoice!.id])).toEqual(new Map());
    expect(await latestDisputes(m.ctx(), [])).toEqual(new Map());
  });
});
