import { eq } from "drizzle-orm";
import { withGateway } from "@/test/support/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { sandboxCharges, subscriptions } from "@/db/schema";
import { openTestDatabase } from "@/test/support/database";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";
import { createSubscription } from "./create-subscription";
import { ServiceError } from "./errors";
import { retryPayment } from "./retry-payment";
import { contractHistory, jst, setupClockCustomer, setupTestMerchant } from "@/test/support/merchant";

describe("an incomplete contract whose checkout charge got no answer", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it("is collected by a manual retry that replays the in-flight attempt: charged once, then active", async () => {
    const m = await setupTestMerchant(database);
    const { customer, plan, paymentMethod } = await setupClockCustomer(m, { start: jst("2027-01-10T12:00:00"), plan: { amount: 3000, interval: "month" } });
    // The gateway charges the card, but its answer is lost on the way back.
    const lossy: PaymentGateway = {
      ...m.gateway,
      charge: async (request) => {
        await m.gateway.charge(request);
        throw new Error("connection reset");
      },
    };
    const error = await createSubscription(withGateway(m.ctx(), lossy), { customerId: customer.id, planId: plan.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).details.reason).toBe("gateway_unavailable");
    const [row] = await database.db.select().from(subscriptions).where(eq(subscriptions.customerId, customer.id));
    let h = await contractHistory(database, row!.id);
    expect(h.sub).toMatchObject({ status: "incomplete", overdueInvoiceId: null });
    expect(h.attempts.map((a) => a.status)).toEqual(["pending"]);

    const { subscription, payment } = await retryPayment(m.ctx(), { subscriptionId: row!.id });
    expect(payment?.status).toBe("paid");
    expect(subscription).toMatchObject({ status: "active", overdueInvoiceId: null, paidThrough: jst("2027-02-10T00:00:00") });
    h = await contractHistory(database, row!.id);
    expect(h.invoices.map((i) => [i.kind, i.status])).toEqual([["first", "paid"]]);
    expect(h.attempts.map((a) => [a.status, a.trigger])).toEqual([["succeeded", "checkout"]]);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["renewal", jst("2027-02-10T00:00:00")]]);
    // The replay used the first attempt's key: the card was charged once.
    expect(await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.cardRef, paymentMethod.gatewayRef))).toHaveLength(1);
  });
});
