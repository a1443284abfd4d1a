import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { merchants, paymentMethods } from "@/db/schema";
import type { BillingSettings } from "@/lib/billing/billing-settings";
import { createSandboxGateway, SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { advanceTestClock } from "@/lib/services/advance-test-clock";
import { type Clock, type ServiceContext, systemClock } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createTestClock } from "@/lib/services/create-test-clock";
import { operatorContext } from "@/lib/services/contexts";
import type { setupTestApi } from "@/test/support/api";
import { testPlatform } from "./platform";

type TestApi = Awaited<ReturnType<typeof setupTestApi>>;

/**
 * Customers, cards and clocks for API tests of billing endpoints, made with the services directly (their own
 * endpoints are tested elsewhere); products, plans and everything billed go through the API.
 */
export function billingFixtures(database: Database, api: TestApi) {
  const gateway = createSandboxGateway(database.db);
  const ctx = (clock: Clock = systemClock): ServiceContext => operatorContext(testPlatform(database.db, { clock, gateway }), api.merchantId, "test");

  async function plan(body: Record<string, unknown> = {}) {
    const product = await api.call("POST", "/products", { name: "オンライン英会話" });
    const created = await api.call("POST", "/plans", { product: product.body.id, amount: 3000, interval: "month", ...body });
    if (created.status !== 200) throw new Error(`plan: ${JSON.stringify(created.body)}`);
    return created.body as { id: string; product: string; amount: number };
  }

  /** A customer with a saved default card; on its own test clock when `clockAt` is given. */
  async function customer(options: { clockAt?: Date; card?: keyof typeof SANDBOX_TEST_CARDS; locale?: "ja" | "en"; name?: string } = {}) {
    const clock = options.clockAt ? await createTestClock(ctx(), { frozenTime: options.clockAt, name: "api test" }) : null;
    const c = await createCustomer(ctx(), {
      email: `member-${crypto.randomUUID().slice(0, 8)}@example.jp`,
      name: options.name ?? "山田 太郎",
      locale: options.locale,
      testClockId: clock?.id,
    });
    const token = await gateway.testControls.createToken({ number: SANDBOX_TEST_CARDS[options.card ?? "succeed"], expMonth: 12, expYear: 2035, cvc: "123" }, options.clockAt ?? new Date());
    const pm = await addPaymentMethod(ctx(), { customerId: c.id, token: token.id });
    return { customer: c, paymentMethod: pm, clock };
  }

  return {
    gateway,
    ctx,
    plan,
    customer,
    /** A customer without any card. */
    bareCustomer: () => createCustomer(ctx(), { email: `bare-${crypto.randomUUID().slice(0, 8)}@example.jp`, name: "佐藤 花子" }),
    setCard: async (paymentMethodId: string, behavior: "succeed" | "decline" | "insufficient_funds") => {
      const [pm] = await database.db.select().from(paymentMethods).where(eq(paymentMethods.id, paymentMethodId));
      await gateway.testControls.setCardBehavior(pm!.gatewayRef, behavior);
    },
    advance: (clockId: string, to: Date) => advanceTestClock(ctx(), { testClockId: clockId, frozenTime: to }),
    settings: async (settings: Partial<BillingSettings>) => {
      const [m] = await database.db.select().from(merchants).where(eq(merchants.id, api.merchantId));
      await database.db.update(merchants).set({ billingSettings: { ...m!.billingSettings, ...settings } }).where(eq(merchants.id, api.merchantId));
    },
  };
}
