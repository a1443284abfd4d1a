import { and, asc, eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Database } from "@/db/client";
import { invoices, mails, merchants, paymentAttempts, scheduledActions, subscriptions } from "@/db/schema";
import { type BillingSettings, DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { createSandboxGateway, type SandboxGateway } from "@/lib/gateways/sandbox";
import { newId } from "@/lib/ids";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { type Clock, fixedClock, type ServiceContext } from "@/lib/services/context";
import type { StaffRole } from "@/lib/auth/roles";
import { operatorContext, staffContext } from "@/lib/services/contexts";
import { createStaffUser } from "@/lib/services/create-staff-user";
import { testPlatform } from "./platform";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan, type createPlanInput } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { createTestClock } from "@/lib/services/create-test-clock";
import { ServiceError } from "@/lib/services/errors";
import type { z } from "zod";

/** A merchant of its own for one test, on a real database, with the sandbox gateway. */
export type TestMerchant = {
  merchantId: string;
  gateway: SandboxGateway;
  database: Database;
  ctx(clock?: Clock): ServiceContext;
};

export async function setupTestMerchant(
  database: Database,
  options: { settings?: Partial<BillingSettings>; timeZone?: string; now?: Date } = {},
): Promise<TestMerchant> {
  const merchantId = newId("mer");
  await database.db.insert(merchants).values({
    id: merchantId,
    name: "テスト商店",
    email: `${merchantId}@merchant.test`,
    timeZone: options.timeZone ?? "Asia/Tokyo",
    billingSettings: { ...DEFAULT_BILLING_SETTINGS, ...options.settings },
  });
  const gateway = createSandboxGateway(database.db);
  const defaultClock = fixedClock(options.now ?? new Date("2027-01-01T00:00:00Z"));
  return {
    merchantId,
    gateway,
    database,
    ctx: (clock = defaultClock) => operatorContext(testPlatform(database.db, { clock, gateway }), merchantId, "test"),
  };
}

/** A staff member of the merchant with this role (a real login, `<role>-<merchant>@staff.test`), acting at `now`. */
export async function staffMemberOf(database: Database, m: TestMerchant, role: StaffRole, now: Date): Promise<ServiceContext> {
  const email = `${role}-${m.merchantId}@staff.test`.toLowerCase();
  const { staffUserId } = await createStaffUser(m.ctx(), { email, name: role, password: "password-1234", role });
  return staffContext(testPlatform(database.db, { clock: fixedClock(now), gateway: m.gateway }), { merchantId: m.merchantId, staffUserId, role });
}

/** A customer on a fresh test clock with a saved card, and a plan to sign up to. */
export async function setupClockCustomer(
  m: TestMerchant,
  input: { start: Date; card?: string; plan: Omit<z.input<typeof createPlanInput>, "productId"> },
) {
  const ctx = m.ctx();
  const clock = await createTestClock(ctx, { frozenTime: input.start, name: "scenario" });
  const product = await createProduct(ctx, { name: "オンライン講座" });
  const plan = await createPlan(ctx, { ...input.plan, productId: product.id });
  const customer = await createCustomer(ctx, { email: "member@example.jp", name: "山田 太郎", testClockId: clock.id });
  const token = await m.gateway.testControls.createToken({ number: input.card ?? "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, input.start);
  const paymentMethod = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  return { clock, product, plan, customer, paymentMethod };
}

/** Everything a contract went through, for assertions. */
export async function contractHistory(database: Database, subscriptionId: string) {
  const db = database.db;
  const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
  const invoiceRows = await db.select().from(invoices).where(eq(invoices.subscriptionId, subscriptionId)).orderBy(asc(invoices.issuedAt), asc(invoices.id));
  const attempts = await db
    .select({ invoiceId: paymentAttempts.invoiceId, status: paymentAttempts.status, attemptedAt: paymentAttempts.attemptedAt, amount: paymentAttempts.amount, trigger: paymentAttempts.trigger })
    .from(paymentAttempts)
    .innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId))
    .where(eq(invoices.subscriptionId, subscriptionId))
    .orderBy(asc(paymentAttempts.attemptedAt), asc(paymentAttempts.attemptNumber));
  const mailRows = await db.select().from(mails).where(eq(mails.subscriptionId, subscriptionId)).orderBy(asc(mails.queuedAt), asc(mails.id));
  const pending = await db
    .select()
    .from(scheduledActions)
    .where(and(eq(scheduledActions.subscriptionId, subscriptionId), eq(scheduledActions.status, "pending")))
    .orderBy(asc(scheduledActions.dueAt));
  return { sub: sub!, invoices: invoiceRows, attempts, mails: mailRows, pending };
}

/** A Tokyo wall-clock time ("2027-01-10T12:00:00") as an instant. */
export const jst = (local: string) => new Date(`${local}+09:00`);

/** The ServiceError a call fails with; the test fails if it succeeds or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

export type PlanInput = Omit<z.input<typeof createPlanInput>, "productId">;

/** A customer on a fresh test clock at `start`, signed up to a new plan. */
export async function signedUpContract(m: TestMerchant, plan: PlanInput = { amount: 3000, interval: "month" }, start = jst("2027-01-10T12:00:00")) {
  const setup = await setupClockCustomer(m, { start, plan });
  const subscription = await createSubscription(m.ctx(), { customerId: setup.customer.id, planId: setup.plan.id });
  return { ...setup, subscription };
}
