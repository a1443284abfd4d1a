import { testPlatform } from "@/test/support/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { addPaymentMethod } from "./add-payment-method";
import { advanceTestClock } from "./advance-test-clock";
import { cancelSubscription } from "./cancel-subscription";
import { chargeAdditional } from "./charge-additional";
import type { ServiceContext } from "./context";
import { createCustomer } from "./create-customer";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createSubscription } from "./create-subscription";
import { createTestClock } from "./create-test-clock";
import { ServiceError, type ServiceErrorCode } from "./errors";
import { recordUsage } from "./record-usage";
import { resumeSubscription } from "./resume-subscription";
import { previewBulkJob } from "./preview-bulk-job";
import { retryFailedBulkItems } from "./retry-failed-bulk-items";
import { retryPayment } from "./retry-payment";
import { startBulkJob } from "./start-bulk-job";
import { runDueAction } from "./run-due-actions";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { changePlan, previewPlanChange } from "./change-plan";
import { endUserContext, staffContext } from "./contexts";
import { pauseSubscription } from "./pause-subscription";
import { refundInvoice } from "./refund-invoice";
import { setTestCardBehavior } from "./set-test-card-behavior";
import { previewBillingSettings, updateBillingSettings } from "./update-billing-settings";
import { updateSubscriptionPaymentMethod } from "./update-payment-method";
import { contractHistory, jst, setupClockCustomer, setupTestMerchant, type TestMerchant } from "@/test/support/merchant";

/**
 * Every service verb, fed bad input or another merchant's ids, raises a typed error and writes nothing: the rows
 * of every table that belong to the two merchants of this file (and the sandbox's books for their cards) are
 * byte-for-byte the same before and after.
 */

const START = jst("2027-01-10T12:00:00");

/** Tables are scoped by merchant_id; these few have no such column and are scoped here by hand. */
const UNSCOPED: Record<string, string> = {
  merchants: "id = any($1)",
  sandbox_cards: "ref in (select gateway_ref from payment_methods where merchant_id = any($1)) or token = any($2)",
  sandbox_charges: "card_ref in (select gateway_ref from payment_methods where merchant_id = any($1))",
  sandbox_refunds: "charge_id in (select c.id from sandbox_charges c join payment_methods p on p.gateway_ref = c.card_ref where p.merchant_id = any($1))",
  bulk_job_items: "job_id in (select id from bulk_jobs where merchant_id = any($1))",
  sign_in_throttles: "key in (select 'email:' || email from staff_users where merchant_id = any($1))",
};

async function snapshot(database: Database, merchantIds: string[], tokens: string[]): Promise<Record<string, string>> {
  const tables = await database.query<{ table_name: string; scoped: boolean }>(
    `select t.table_name, exists (select 1 from information_schema.columns c where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'merchant_id') as scoped
       from information_schema.tables t where t.table_schema = 'public' and t.table_type = 'BASE TABLE' order by t.table_name`,
  );
  const unknown = tables.filter((t) => !t.scoped && !UNSCOPED[t.table_name]).map((t) => t.table_name);
  if (unknown.length) throw new Error(`bad-input.test.ts: say how to scope the rows of ${unknown.join(", ")} to a merchant`);
  const result: Record<string, string> = {};
  for (const { table_name: table, scoped } of tables) {
    const where = scoped ? "merchant_id = any($1)" : UNSCOPED[table]!;
    const [row] = await database.query<{ rows: string; digest: string | null }>(
      `select count(*)::text as rows, md5(string_agg(x::text, '|' order by x::text)) as digest from "${table}" x where ${where}`,
      where.includes("$2") ? [merchantIds, tokens] : [merchantIds],
    );
    result[table] = `${row!.rows}:${row!.digest ?? "-"}`;
  }
  return result;
}

type Fixture = Awaited<ReturnType<typeof setupFixture>>;

async function setupFixture(database: Database) {
  type Ids = "clock" | "product" | "plan" | "customer" | "card" | "subscription" | "action" | "invoice" | "dollarPlan";
  async function merchantWithContract(): Promise<{ m: TestMerchant; ctx: ServiceContext } & Record<Ids, string>> {
    const m = await setupTestMerchant(database);
    const setup = await setupClockCustomer(m, { start: START, plan: { amount: 3000, interval: "month", usageRates: [{ metric: "lessons", unitAmount: 500 }] } });
    const subscription = await createSubscription(m.ctx(), { customerId: setup.customer.id, planId: setup.plan.id });
    const history = await contractHistory(database, subscription.id);
    const [renewal] = history.pending;
    const dollarPlan = await createPlan(m.ctx(), { productId: setup.product.id, amount: 1000, interval: "month", currency: "usd" });
    return {
      m,
      ctx: m.ctx(),
      clock: setup.clock.id,
      product: setup.product.id,
      plan: setup.plan.id,
      customer: setup.customer.id,
      card: setup.paymentMethod.id,
      subscription: subscription.id,
      action: renewal!.id,
      invoice: history.invoices[0]!.id,
      dollarPlan: dollarPlan.id,
    };
  }
  const a = await merchantWithContract();
  const b = await merchantWithContract();
  const cardless = await createCustomer(a.ctx, { email: "nocard@example.jp", name: "カードなし", testClockId: a.clock });
  const canceled = await createSubscription(a.ctx, { customerId: a.customer, planId: a.plan });
  await cancelSubscription(a.ctx, { subscriptionId: canceled.id, atPeriodEnd: false });
  const freshToken = (await a.m.gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, START)).id;
  const refusedAtAttach = (await a.m.gateway.testControls.createToken({ number: "4000000000000002", expMonth: 12, expYear: 2035, cvc: "123" }, START)).id;
  const viewer = staffContext(testPlatform(database.db, { gateway: a.m.gateway, clock: a.ctx.clock }), { merchantId: a.m.merchantId, staffUserId: "usr_viewer", role: "viewer" });
  const operator = staffContext(testPlatform(database.db, { gateway: a.m.gateway, clock: a.ctx.clock }), { merchantId: a.m.merchantId, staffUserId: "usr_operator", role: "operator" });
  const stranger = endUserContext(testPlatform(database.db, { gateway: a.m.gateway, clock: a.ctx.clock }), { merchantId: a.m.merchantId, customerId: cardless.id });
  const bJob = (await startBulkJob(b.ctx, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: [b.subscription] } })).id;
  return { a, b, cardless: cardless.id, canceled: canceled.id, freshToken, refusedAtAttach, viewer, operator, stranger, bJob };
}

type Case = [name: string, call: (f: Fixture) => Promise<unknown>, expected: { code: ServiceErrorCode; param?: string }];

const long = (n: number) => "あ".repeat(n);

const CASES: Case[] = [
  // create customer
  ["createCustomer: malformed email", (f) => createCustomer(f.a.ctx, { email: "not-an-email", name: "山田" }), { code: "invalid", param: "email" }],
  ["createCustomer: empty name", (f) => createCustomer(f.a.ctx, { email: "x@example.jp", name: "  " }), { code: "invalid", param: "name" }],
  ["createCustomer: unknown locale", (f) => createCustomer(f.a.ctx, { email: "x@example.jp", name: "山田", locale: "fr" } as never), { code: "invalid", param: "locale" }],
  ["createCustomer: another merchant's test clock", (f) => createCustomer(f.a.ctx, { email: "x@example.jp", name: "山田", testClockId: f.b.clock }), { code: "not_found", param: "test_clock" }],
  // add payment method
  ["addPaymentMethod: empty customer", (f) => addPaymentMethod(f.a.ctx, { customerId: "", token: f.freshToken }), { code: "invalid", param: "customer_id" }],
  ["addPaymentMethod: no token", (f) => addPaymentMethod(f.a.ctx, { customerId: f.a.customer } as never), { code: "invalid", param: "token" }],
  ["addPaymentMethod: make_default not a boolean", (f) => addPaymentMethod(f.a.ctx, { customerId: f.a.customer, token: f.freshToken, makeDefault: "yes" } as never), { code: "invalid", param: "make_default" }],
  ["addPaymentMethod: another merchant's customer", (f) => addPaymentMethod(f.a.ctx, { customerId: f.b.customer, token: f.freshToken }), { code: "not_found", param: "customer" }],
  ["addPaymentMethod: a card refused at attach", (f) => addPaymentMethod(f.a.ctx, { customerId: f.a.customer, token: f.refusedAtAttach }), { code: "payment_declined", param: "token" }],
  ["addPaymentMethod: an unknown token", (f) => addPaymentMethod(f.a.ctx, { customerId: f.a.customer, token: "tok_nope" }), { code: "invalid", param: "token" }],
  // create product
  ["createProduct: empty name", (f) => createProduct(f.a.ctx, { name: "" }), { code: "invalid", param: "name" }],
  ["createProduct: description not text", (f) => createProduct(f.a.ctx, { name: "講座", description: 5 } as never), { code: "invalid", param: "description" }],
  // create plan
  ["createPlan: another merchant's product", (f) => createPlan(f.a.ctx, { productId: f.b.product, amount: 1000, interval: "month" }), { code: "not_found", param: "product" }],
  ["createPlan: negative amount", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: -1, interval: "month" }), { code: "invalid", param: "amount" }],
  ["createPlan: fractional amount", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 10.5, interval: "month" }), { code: "invalid", param: "amount" }],
  ["createPlan: unknown interval", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "day" } as never), { code: "invalid", param: "interval" }],
  ["createPlan: billing day 32", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "month", billingDay: 32 }), { code: "invalid", param: "billing_day" }],
  ["createPlan: billing day 0 on a monthly plan", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "month", billingDay: 0 }), { code: "invalid", param: "billing_day" }],
  ["createPlan: weekday 7 on a weekly plan", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "week", billingDay: 7 }), { code: "invalid", param: "billing_day" }],
  ["createPlan: trial days and trial until", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "month", trialDays: 7, trialUntil: "2027-02-01" }), { code: "invalid", param: "trial_until" }],
  ["createPlan: impossible trial date", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "month", trialUntil: "2027-02-30" }), { code: "invalid", param: "trial_until" }],
  ["createPlan: unknown currency", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "month", currency: "zzz" }), { code: "invalid", param: "currency" }],
  ["createPlan: tax rate 5", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "month", taxRate: 5 } as never), { code: "invalid", param: "tax_rate" }],
  ["createPlan: retry days not increasing", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "month", retryScheduleDays: [14, 7] }), { code: "invalid", param: "retry_schedule_days" }],
  ["createPlan: usage rate without metric", (f) => createPlan(f.a.ctx, { productId: f.a.product, amount: 1000, interval: "month", usageRates: [{ metric: "", unitAmount: 1 }] }), { code: "invalid", param: "usage_rates.0.metric" }],
  // create subscription
  ["createSubscription: empty customer", (f) => createSubscription(f.a.ctx, { customerId: "", planId: f.a.plan }), { code: "invalid", param: "customer_id" }],
  ["createSubscription: no plan", (f) => createSubscription(f.a.ctx, { customerId: f.a.customer } as never), { code: "invalid", param: "plan_id" }],
  ["createSubscription: another merchant's customer", (f) => createSubscription(f.a.ctx, { customerId: f.b.customer, planId: f.a.plan }), { code: "not_found", param: "customer" }],
  ["createSubscription: another merchant's plan", (f) => createSubscription(f.a.ctx, { customerId: f.a.customer, planId: f.b.plan }), { code: "not_found", param: "plan" }],
  ["createSubscription: another merchant's card", (f) => createSubscription(f.a.ctx, { customerId: f.a.customer, planId: f.a.plan, paymentMethodId: f.b.card }), { code: "not_found", param: "payment_method" }],
  ["createSubscription: no card for a plan that charges now", (f) => createSubscription(f.a.ctx, { customerId: f.cardless, planId: f.a.plan }), { code: "invalid", param: "payment_method" }],
  // cancel
  ["cancelSubscription: empty id", (f) => cancelSubscription(f.a.ctx, { subscriptionId: "" }), { code: "invalid", param: "subscription_id" }],
  ["cancelSubscription: at_period_end not a boolean", (f) => cancelSubscription(f.a.ctx, { subscriptionId: f.a.subscription, atPeriodEnd: "no" } as never), { code: "invalid", param: "at_period_end" }],
  ["cancelSubscription: reason too long", (f) => cancelSubscription(f.a.ctx, { subscriptionId: f.a.subscription, reason: long(1001) }), { code: "invalid", param: "reason" }],
  ["cancelSubscription: another merchant's contract", (f) => cancelSubscription(f.a.ctx, { subscriptionId: f.b.subscription }), { code: "not_found", param: "subscription" }],
  // resume
  ["resumeSubscription: id not text", (f) => resumeSubscription(f.a.ctx, { subscriptionId: 42 } as never), { code: "invalid", param: "subscription_id" }],
  ["resumeSubscription: another merchant's contract", (f) => resumeSubscription(f.a.ctx, { subscriptionId: f.b.subscription }), { code: "not_found", param: "subscription" }],
  // retry
  ["retryPayment: not a date", (f) => retryPayment(f.a.ctx, { subscriptionId: f.a.subscription, at: "someday" }), { code: "invalid", param: "at" }],
  ["retryPayment: another merchant's contract", (f) => retryPayment(f.a.ctx, { subscriptionId: f.b.subscription }), { code: "not_found", param: "subscription" }],
  // additional charge
  ["chargeAdditional: zero amount", (f) => chargeAdditional(f.a.ctx, { subscriptionId: f.a.subscription, amount: 0 }), { code: "invalid", param: "amount" }],
  ["chargeAdditional: fractional amount", (f) => chargeAdditional(f.a.ctx, { subscriptionId: f.a.subscription, amount: 99.5 }), { code: "invalid", param: "amount" }],
  ["chargeAdditional: amount as text", (f) => chargeAdditional(f.a.ctx, { subscriptionId: f.a.subscription, amount: "1000" } as never), { code: "invalid", param: "amount" }],
  ["chargeAdditional: extend not a boolean", (f) => chargeAdditional(f.a.ctx, { subscriptionId: f.a.subscription, amount: 100, extendPaidThrough: "yes" } as never), { code: "invalid", param: "extend_paid_through" }],
  ["chargeAdditional: send_mail not a boolean", (f) => chargeAdditional(f.a.ctx, { subscriptionId: f.a.subscription, amount: 100, sendMail: 1 } as never), { code: "invalid", param: "send_mail" }],
  ["chargeAdditional: description too long", (f) => chargeAdditional(f.a.ctx, { subscriptionId: f.a.subscription, amount: 100, description: long(501) }), { code: "invalid", param: "description" }],
  ["chargeAdditional: another merchant's contract", (f) => chargeAdditional(f.a.ctx, { subscriptionId: f.b.subscription, amount: 100 }), { code: "not_found", param: "subscription" }],
  // usage
  ["recordUsage: zero quantity", (f) => recordUsage(f.a.ctx, { subscriptionId: f.a.subscription, metric: "lessons", quantity: 0 }), { code: "invalid", param: "quantity" }],
  ["recordUsage: empty metric", (f) => recordUsage(f.a.ctx, { subscriptionId: f.a.subscription, metric: " ", quantity: 1 }), { code: "invalid", param: "metric" }],
  ["recordUsage: unknown metric", (f) => recordUsage(f.a.ctx, { subscriptionId: f.a.subscription, metric: "minutes", quantity: 1 }), { code: "invalid", param: "metric" }],
  ["recordUsage: not a date", (f) => recordUsage(f.a.ctx, { subscriptionId: f.a.subscription, metric: "lessons", quantity: 1, timestamp: "yesterday" }), { code: "invalid", param: "timestamp" }],
  ["recordUsage: another merchant's contract", (f) => recordUsage(f.a.ctx, { subscriptionId: f.b.subscription, metric: "lessons", quantity: 1 }), { code: "not_found", param: "subscription" }],
  ["recordUsage: a canceled contract", (f) => recordUsage(f.a.ctx, { subscriptionId: f.canceled, metric: "lessons", quantity: 1 }), { code: "conflict" }],
  // test clocks
  ["createTestClock: not a date", (f) => createTestClock(f.a.ctx, { frozenTime: "soon" }), { code: "invalid", param: "frozen_time" }],
  ["createTestClock: name too long", (f) => createTestClock(f.a.ctx, { frozenTime: START, name: long(201) }), { code: "invalid", param: "name" }],
  ["advanceTestClock: empty id", (f) => advanceTestClock(f.a.ctx, { testClockId: "", frozenTime: jst("2027-03-01T00:00:00") }), { code: "invalid", param: "test_clock_id" }],
  ["advanceTestClock: not a date", (f) => advanceTestClock(f.a.ctx, { testClockId: f.a.clock, frozenTime: "later" }), { code: "invalid", param: "frozen_time" }],
  ["advanceTestClock: backwards", (f) => advanceTestClock(f.a.ctx, { testClockId: f.a.clock, frozenTime: jst("2027-01-01T00:00:00") }), { code: "invalid", param: "frozen_time" }],
  ["advanceTestClock: another merchant's clock", (f) => advanceTestClock(f.a.ctx, { testClockId: f.b.clock, frozenTime: jst("2027-03-01T00:00:00") }), { code: "not_found", param: "test_clock" }],
  // pause
  ["pauseSubscription: resume in the past", (f) => pauseSubscription(f.a.ctx, { subscriptionId: f.a.subscription, resumeAt: jst("2027-01-01T00:00:00") }), { code: "invalid", param: "resume_at" }],
  ["pauseSubscription: resume_at not a date", (f) => pauseSubscription(f.a.ctx, { subscriptionId: f.a.subscription, resumeAt: "never" }), { code: "invalid", param: "resume_at" }],
  ["pauseSubscription: another merchant's contract", (f) => pauseSubscription(f.a.ctx, { subscriptionId: f.b.subscription }), { code: "not_found", param: "subscription" }],
  ["pauseSubscription: a canceled contract", (f) => pauseSubscription(f.a.ctx, { subscriptionId: f.canceled }), { code: "conflict" }],
  ["pauseSubscription: a viewer", (f) => pauseSubscription(f.viewer, { subscriptionId: f.a.subscription }), { code: "forbidden" }],
  ["pauseSubscription: a customer, on someone else's contract", (f) => pauseSubscription(f.stranger, { subscriptionId: f.a.subscription }), { code: "not_found" }],
  // change plan
  ["changePlan: unknown when", (f) => changePlan(f.a.ctx, { subscriptionId: f.a.subscription, planId: f.a.plan, when: "tomorrow" } as never), { code: "invalid", param: "when" }],
  ["changePlan: another merchant's plan", (f) => changePlan(f.a.ctx, { subscriptionId: f.a.subscription, planId: f.b.plan }), { code: "not_found", param: "plan" }],
  ["changePlan: the plan it is on", (f) => changePlan(f.a.ctx, { subscriptionId: f.a.subscription, planId: f.a.plan }), { code: "conflict" }],
  ["changePlan: another currency", (f) => changePlan(f.a.ctx, { subscriptionId: f.a.subscription, planId: f.a.dollarPlan }), { code: "invalid", param: "plan" }],
  ["changePlan: a canceled contract", (f) => changePlan(f.a.ctx, { subscriptionId: f.canceled, planId: f.a.plan }), { code: "conflict" }],
  ["previewPlanChange: another merchant's contract", (f) => previewPlanChange(f.a.ctx, { subscriptionId: f.b.subscription, planId: f.a.plan }), { code: "not_found", param: "subscription" }],
  // card update
  ["updateSubscriptionPaymentMethod: another merchant's card", (f) => updateSubscriptionPaymentMethod(f.a.ctx, { subscriptionId: f.a.subscription, paymentMethodId: f.b.card }), { code: "not_found", param: "payment_method" }],
  ["updateSubscriptionPaymentMethod: no card", (f) => updateSubscriptionPaymentMethod(f.a.ctx, { subscriptionId: f.a.subscription } as never), { code: "invalid", param: "payment_method_id" }],
  ["updateSubscriptionPaymentMethod: a customer, on someone else's contract", (f) => updateSubscriptionPaymentMethod(f.stranger, { subscriptionId: f.a.subscription, paymentMethodId: f.a.card }), { code: "not_found" }],
  // refund
  ["refundInvoice: more than was paid", (f) => refundInvoice(f.a.ctx, { invoiceId: f.a.invoice, amount: 3001 }), { code: "invalid", param: "amount" }],
  ["refundInvoice: zero", (f) => refundInvoice(f.a.ctx, { invoiceId: f.a.invoice, amount: 0 }), { code: "invalid", param: "amount" }],
  ["refundInvoice: another merchant's invoice", (f) => refundInvoice(f.a.ctx, { invoiceId: f.b.invoice }), { code: "not_found", param: "invoice" }],
  ["refundInvoice: an operator", (f) => refundInvoice(f.operator, { invoiceId: f.a.invoice }), { code: "forbidden" }],
  // billing settings
  ["updateBillingSettings: retries not increasing", (f) => updateBillingSettings(f.a.ctx, { ...DEFAULT_BILLING_SETTINGS, retryScheduleDays: [7, 3] }), { code: "invalid", param: "retry_schedule_days" }],
  ["updateBillingSettings: an operator", (f) => updateBillingSettings(f.operator, DEFAULT_BILLING_SETTINGS), { code: "forbidden" }],
  ["previewBillingSettings: unknown notice", (f) => previewBillingSettings(f.a.ctx, { ...DEFAULT_BILLING_SETTINGS, dunning: { ...DEFAULT_BILLING_SETTINGS.dunning, notices: [{ template: "welcome", daysAfterPaidThrough: 1 }] } } as never), { code: "invalid", param: "dunning.notices.0.template" }],
  // test cards
  ["setTestCardBehavior: unknown behaviour", (f) => setTestCardBehavior(f.a.ctx, { paymentMethodId: f.a.card, behavior: "explode" }), { code: "invalid", param: "behavior" }],
  ["setTestCardBehavior: another merchant's card", (f) => setTestCardBehavior(f.a.ctx, { paymentMethodId: f.b.card, behavior: "decline" }), { code: "not_found", param: "payment_method" }],
  // bulk jobs
  ["startBulkJob: unknown kind", (f) => startBulkJob(f.a.ctx, { kind: "refund", params: {}, selection: { type: "ids", ids: [f.a.subscription] } } as never), { code: "invalid", param: "kind" }],
  ["startBulkJob: no contract picked", (f) => startBulkJob(f.a.ctx, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: [] } }), { code: "invalid", param: "selection.ids" }],
  ["startBulkJob: a retry time already past", (f) => startBulkJob(f.a.ctx, { kind: "retry", params: { at: jst("2027-01-01T00:00:00") }, selection: { type: "ids", ids: [f.a.subscription] } }), { code: "invalid", param: "params.at" }],
  ["startBulkJob: another merchant's contracts only", (f) => startBulkJob(f.a.ctx, { kind: "cancel", params: { atPeriodEnd: false }, selection: { type: "ids", ids: [f.b.subscription] } }), { code: "invalid", param: "selection" }],
  ["startBulkJob: a viewer", (f) => startBulkJob(f.viewer, { kind: "cancel", params: { atPeriodEnd: false }, selection: { type: "ids", ids: [f.a.subscription] } }), { code: "forbidden" }],
  ["startBulkJob: a customer", (f) => startBulkJob(f.stranger, { kind: "cancel", params: { atPeriodEnd: false }, selection: { type: "ids", ids: [f.a.subscription] } }), { code: "forbidden" }],
  ["previewBulkJob: a reason too long", (f) => previewBulkJob(f.a.ctx, { kind: "cancel", params: { atPeriodEnd: true, reason: long(1001) }, selection: { type: "ids", ids: [f.a.subscription] } }), { code: "invalid", param: "params.reason" }],
  ["previewBulkJob: a viewer", (f) => previewBulkJob(f.viewer, { kind: "retry", params: { at: null }, selection: { type: "ids", ids: [f.a.subscription] } }), { code: "forbidden" }],
  ["retryFailedBulkItems: no job", (f) => retryFailedBulkItems(f.a.ctx, { jobId: "" }), { code: "invalid", param: "job_id" }],
  ["retryFailedBulkItems: another merchant's job", (f) => retryFailedBulkItems(f.a.ctx, { jobId: f.bJob }), { code: "not_found", param: "job_id" }],
  ["retryFailedBulkItems: a viewer", (f) => retryFailedBulkItems(f.viewer, { jobId: f.bJob }), { code: "forbidden" }],
];

/** Params are compared spelling-blind (billingDay = billing_day), the form an API adapter will show. */
const snake = (param: string | undefined) => param?.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe("bad input: typed errors, nothing written", () => {
  let database: Database;
  let f: Fixture;
  let scope: () => Promise<Record<string, string>>;
  beforeAll(async () => {
    database = await openTestDatabase();
    f = await setupFixture(database);
    scope = () => snapshot(database, [f.a.m.merchantId, f.b.m.merchantId], [f.freshToken, f.refusedAtAttach]);
  });
  afterAll(async () => database.close());

  it.each(CASES)("%s", async (_name, call, expected) => {
    const before = await scope();
    const error = await call(f).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    const { code, details } = error as ServiceError;
    expect(code).toBe(expected.code);
    if (expected.param) expect(snake(details.param)).toBe(expected.param);
    expect(await scope()).toEqual(before);
  });

  it("every verb is covered", () => {
    const verbs = new Set(CASES.map(([name]) => name.split(":")[0]));
    expect([...verbs].sort()).toEqual(
      [
        "addPaymentMethod",
        "advanceTestClock",
        "cancelSubscription",
        "changePlan",
        "chargeAdditional",
        "createCustomer",
        "createPlan",
        "createProduct",
        "createSubscription",
        "createTestClock",
        "pauseSubscription",
        "previewBillingSettings",
        "previewBulkJob",
        "previewPlanChange",
        "recordUsage",
        "refundInvoice",
        "resumeSubscription",
        "retryFailedBulkItems",
        "retryPayment",
        "setTestCardBehavior",
        "startBulkJob",
        "updateBillingSettings",
        "updateSubscriptionPaymentMethod",
      ].sort(),
    );
  });

  it("runDueAction on an unknown action reports it and writes nothing", async () => {
    const before = await scope();
    const run = testPlatform(database.db, { gateway: f.a.m.gateway, clock: { now: () => START } });
    expect(await runDueAction(run, "act_missing")).toEqual({ actionId: "act_missing", outcome: "not_found" });
    expect(await scope()).toEqual(before);
  });

  it("the snapshot sees a write (control)", async () => {
    const before = await scope();
    await createProduct(f.a.ctx, { name: "対照" });
    const after = await scope();
    expect(Object.keys(after).filter((table) => after[table] !== before[table]).sort()).toEqual(["audit_events", "products"]);
  });

  it("leaves the fixture's contracts as they were", async () => {
    for (const id of [f.a.subscription, f.b.subscription]) {
      const h = await contractHistory(database, id);
      expect(h.sub.status).toBe("active");
      expect(h.invoices).toHaveLength(1);
    }
    expect((await contractHistory(database, f.a.subscription)).pending.map((a) => a.id)).toEqual([f.a.action]);
  });
});
