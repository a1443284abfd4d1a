import { InngestTestEngine } from "@inngest/test";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPlatform } from "@/test/support/platform";
import type { Database } from "@/db/client";
import { customerSessions, mails, paymentAttempts, scheduledActions, subscriptions } from "@/db/schema";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { fixedClock } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { withGateway } from "@/test/support/platform";
import { jst, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";
import type { ActionScheduledData } from "../client";
import { executeFlow, openIsolatedTestDatabase, sandboxChargeCount, testRunContext } from "@/test/support/inngest";
import { createCardExpiryNotice } from "./card-expiry-notice";
import { createPurgeExpired } from "./purge-expired";
import { createReconcile } from "./reconcile";
import { createRenewal } from "./renewal";
import { createResolveUnansweredAttempts } from "./resolve-unanswered-attempts";
import { runDueBatch } from "@/lib/runner/embedded-runner";

const START = jst("2027-01-10T12:00:00");

let database: Database;
beforeAll(async () => {
  database = await openIsolatedTestDatabase();
});
afterAll(async () => database.close());

/** A live monthly contract on a card that expires in March 2027. */
async function contractOnExpiringCard(m: TestMerchant) {
  const ctx = m.ctx(fixedClock(START));
  const product = await createProduct(ctx, { name: "月刊誌" });
  const plan = await createPlan(ctx, { amount: 2000, interval: "month", productId: product.id });
  const customer = await createCustomer(ctx, { email: "reader@example.jp", name: "佐藤 花子" });
  const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 3, expYear: 2027, cvc: "123" }, START);
  await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  const subscription = await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
  return { subscription };
}

async function actionsOf(merchantId: string, kind: "renewal" | "card_expiry_notice") {
  return database.db.select().from(scheduledActions).where(and(eq(scheduledActions.merchantId, merchantId), eq(scheduledActions.kind, kind)));
}

describe("card-expiry-notice", () => {
  it("fans out one event per due notice on the 1st (same event id as the dispatcher's), and each run mails once", async () => {
    const m = await setupTestMerchant(database, { now: START });
    await contractOnExpiringCard(m);
    const [notice] = await actionsOf(m.merchantId, "card_expiry_notice");
    expect(notice!.dueAt).toEqual(jst("2027-03-01T00:00:00"));
    const runContext = testRunContext(database, m.gateway, fixedClock(jst("2027-03-01T00:00:00")));
    const fn = createCardExpiryNotice(runContext);

    const cron = await new InngestTestEngine({ function: fn }).execute({
      events: [{ name: "inngest/scheduled.timer", data: { cron: "TZ=Asia/Tokyo 0 0 1 * *" } }],
      steps: [{ id: "fan-out-0", handler: () => ({ ids: [] }) }],
    });
    const sent = cron.ctx.step.sendEvent.mock.calls.flatMap((c) => c[1] as { id: string; data: ActionScheduledData }[]);
    expect(sent.map((e) => e.id)).toEqual([`${notice!.id}:${notice!.dueAt.toISOString()}`]);

    const first = await executeFlow(fn as never, sent[0]!.data);
    const second = await executeFlow(fn as never, sent[0]!.data);
    expect([first.stepsRun, first.result?.outcome, second.result?.outcome]).toEqual([["run-card_expiry_notice"], "mail_queued", "already_done"]);
    const sentMails = await database.db.select().from(mails).where(and(eq(mails.merchantId, m.merchantId), eq(mails.template, "card_expiring")));
    expect(sentMails).toHaveLength(1);
  });
});

describe("reconcile", () => {
  it("runs pending actions more than 5 minutes overdue through runDueAction, and leaves the rest", async () => {
    const m = await setupTestMerchant(database, { now: START });
    await contractOnExpiringCard(m);
    const [renewal] = await actionsOf(m.merchantId, "renewal");
    expect(renewal!.dueAt).toEqual(jst("2027-02-10T00:00:00"));
    const run = (at: Date) =>
      new InngestTestEngine({ function: createReconcile(testRunContext(database, m.gateway, fixedClock(at))) }).execute({
        events: [{ name: "inngest/scheduled.timer", data: { cron: "*/10 * * * *" } }],
      });

    const tooSoon = await run(new Date(renewal!.dueAt.getTime() + 4 * 60_000));
    expect((tooSoon.result as { outcomes: { actionId: string }[] }).outcomes.filter((o) => o.actionId === renewal!.id)).toEqual([]);

    const late = await run(new Date(renewal!.dueAt.getTime() + 6 * 60_000));
    expect((late.result as { outcomes: { actionId: string; outcome: string }[] }).outcomes).toContainEqual(expect.objectContaining({ actionId: renewal!.id, outcome: "paid" }));
    expect(late.ctx.step.run.mock.calls.map((c) => c[0])).toEqual(["select-overdue", "run-batch-0"]);
    expect(await sandboxChargeCount(database, m.merchantId)).toBe(2);

    const again = await run(new Date(renewal!.dueAt.getTime() + 16 * 60_000));
    expect((again.result as { outcomes: { actionId: string }[] }).outcomes.filter((o) => o.actionId === renewal!.id)).toEqual([]);
    expect(await sandboxChargeCount(database, m.merchantId)).toBe(2);
  });
});

describe("purge-expired", () => {
  it("deletes a mypage session a day past its expiry, in one step, and keeps a live one", async () => {
    const m = await setupTestMerchant(database, { now: START });
    const customer = await createCustomer(m.ctx(fixedClock(START)), { email: "purge-cron@example.jp", name: "定期 消去" });
    const session = (id: string, expiresAt: Date) => ({ id, tokenHash: crypto.randomUUID(), merchantId: m.merchantId, customerId: customer.id, expiresAt });
    await database.db.insert(customerSessions).values([session("ses_cron_old", new Date(START.getTime() - 2 * 86_400_000)), session("ses_cron_live", new Date(START.getTime() + 86_400_000))]);
    const run = await new InngestTestEngine({ function: createPurgeExpired(testRunContext(database, m.gateway, fixedClock(START))) }).execute({
      events: [{ name: "inngest/scheduled.timer", data: { cron: "17 * * * *" } }],
    });
    expect(run.result).toMatchObject({ customerSessions: 1 });
    expect(run.ctx.step.run.mock.calls.map((c) => c[0])).toEqual(["purge"]);
    const left = await database.db.select({ id: customerSessions.id }).from(customerSessions).where(eq(customerSessions.customerId, customer.id));
    expect(left.map((r) => r.id)).toEqual(["ses_cron_live"]);
  });
});

describe("resolve-unanswered-attempts", () => {
  it("settles a charge whose answer was lost from the gateway's own record, in one step, without charging again", async () => {
    const m = await setupTestMerchant(database, { now: START });
    const ctx = m.ctx(fixedClock(START));
    const product = await createProduct(ctx, { name: "会報" });
    const plan = await createPlan(ctx, { amount: 1500, interval: "month", productId: product.id });
    const customer = await createCustomer(ctx, { email: "lost-answer@example.jp", name: "応答 なし" });
    const token = await m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, START);
    await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
    // The gateway charges, but its answer is lost on the way back.
    const lossy: PaymentGateway = {
      ...m.gateway,
      charge: async (request) => {
        await m.gateway.charge(request);
        throw new Error("socket hang up");
      },
    };
    await expect(createSubscription(withGateway(ctx, lossy), { customerId: customer.id, planId: plan.id })).rejects.toThrow(/did not answer/);
    const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
    const later = fixedClock(new Date(Date.now() + 10 * 60_000));
    const run = await new InngestTestEngine({ function: createResolveUnansweredAttempts(testRunContext(database, m.gateway, later)) }).execute({
      events: [{ name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" } }],
    });
    expect(run.ctx.step.run.mock.calls.map((c) => c[0])).toEqual(["ask-gateways"]);
    expect(run.result).toMatchObject({ settled: 1 });
    const attempts = await database.db.select({ status: paymentAttempts.status }).from(paymentAttempts).where(eq(paymentAttempts.merchantId, m.merchantId));
    expect(attempts).toEqual([{ status: "succeeded" }]);
    const [after] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, sub!.id));
    expect(after!.status).toBe("active");
    expect(await sandboxChargeCount(database, m.merchantId)).toBe(1);
  });
});

describe("both drivers", () => {
  it("charge once when the embedded runner's batch and the renewal flow take the same action", async () => {
    const m = await setupTestMerchant(database, { now: START });
    await contractOnExpiringCard(m);
    const [renewal] = await actionsOf(m.merchantId, "renewal");
    const clock = fixedClock(renewal!.dueAt);
    const data: ActionScheduledData = { actionId: renewal!.id, merchantId: m.merchantId, subscriptionId: renewal!.subscriptionId, invoiceId: null, kind: "renewal", dueAt: renewal!.dueAt.toISOString() };
    const [ran, flow] = await Promise.all([
      runDueBatch({ platform: testPlatform(database.db, { gateway: m.gateway, clock }), batchSize: 500, concurrency: 2, leaseSeconds: 60 }),
      executeFlow(createRenewal(testRunContext(database, m.gateway, clock)), data),
    ]);
    expect(ran).toBeGreaterThan(0);
    // Whichever gets the lock first charges; the other finds the action done or the charge already settled.
    expect(["paid", "already_done", "already_run", "already_settled"]).toContain(flow.result?.outcome);
    expect(await sandboxChargeCount(database, m.merchantId)).toBe(2); // the first payment and one renewal
  });
});
