import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { type BillingSettings, DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { openTestDatabase } from "@/test/support/database";
import { contractHistory, jst, setupTestMerchant, signedUpContract, type TestMerchant } from "@/test/support/merchant";
import { advanceTestClock } from "./advance-test-clock";
import { previewBillingSettings, updateBillingSettings } from "./update-billing-settings";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

/** A contract whose renewal on 2027-02-10 failed: past due, retries planned at +7 and +14 days, the clock at `at`. */
async function pastDue(m: TestMerchant, at: Date) {
  const contract = await signedUpContract(m);
  await m.gateway.testControls.setCardBehavior(contract.paymentMethod.gatewayRef, "decline");
  await advanceTestClock(m.ctx(), { testClockId: contract.clock.id, frozenTime: at });
  return contract;
}

const steps = async (subscriptionId: string) => (await contractHistory(database, subscriptionId)).pending.map((a) => [a.kind, a.dueAt]);

describe("billing settings apply to existing contracts", () => {
  it("a new retry schedule re-plans the retries not yet run, from the first failure", async () => {
    const m = await setupTestMerchant(database, { now: jst("2027-02-12T09:00:00") });
    const { subscription } = await pastDue(m, jst("2027-02-12T09:00:00"));
    expect(await steps(subscription.id)).toEqual([
      ["retry", jst("2027-02-17T00:00:00")],
      ["retry", jst("2027-02-24T00:00:00")],
    ]);
    const weekly: BillingSettings = { ...DEFAULT_BILLING_SETTINGS, retryScheduleDays: [7, 14, 21] };
    const preview = await previewBillingSettings(m.ctx(), weekly);
    expect(preview).toEqual({
      contractsChanged: 1,
      example: {
        subscriptionId: subscription.id,
        statusBefore: "past_due",
        statusAfter: "past_due",
        before: [
          { kind: "retry", dueAt: jst("2027-02-17T00:00:00") },
          { kind: "retry", dueAt: jst("2027-02-24T00:00:00") },
        ],
        after: [
          { kind: "retry", dueAt: jst("2027-02-17T00:00:00") },
          { kind: "retry", dueAt: jst("2027-02-24T00:00:00") },
          { kind: "retry", dueAt: jst("2027-03-03T00:00:00") },
        ],
      },
    });
    // The preview wrote nothing.
    expect(await steps(subscription.id)).toHaveLength(2);
    await updateBillingSettings(m.ctx(), weekly);
    expect(await steps(subscription.id)).toEqual([
      ["retry", jst("2027-02-17T00:00:00")],
      ["retry", jst("2027-02-24T00:00:00")],
      ["retry", jst("2027-03-03T00:00:00")],
    ]);
    const audit = await database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, "subscription.replanned")));
    expect(audit.map((a) => a.targetId)).toEqual([subscription.id]);
  });

  it("a retry the new schedule promised and that has not run yet is due now", async () => {
    const m = await setupTestMerchant(database, { now: jst("2027-02-15T09:00:00") });
    const { subscription } = await pastDue(m, jst("2027-02-15T09:00:00"));
    await updateBillingSettings(m.ctx(), { ...DEFAULT_BILLING_SETTINGS, retryScheduleDays: [3] });
    expect(await steps(subscription.id)).toEqual([["retry", jst("2027-02-15T09:00:00")]]);
  });

  it("a schedule with no retry left makes the contract unpaid now, with the dunning timeline", async () => {
    const m = await setupTestMerchant(database, { now: jst("2027-02-18T09:00:00") });
    // The first retry ran (and failed) on Feb 17.
    const { subscription } = await pastDue(m, jst("2027-02-18T09:00:00"));
    await updateBillingSettings(m.ctx(), { ...DEFAULT_BILLING_SETTINGS, retryScheduleDays: [3] });
    const h = await contractHistory(database, subscription.id);
    // Notices are counted from the paid-through date (Feb 10); one already due goes now.
    expect(h.sub).toMatchObject({ status: "unpaid", unpaidSince: jst("2027-02-18T09:00:00") });
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([
      ["dunning_notice", jst("2027-02-18T09:00:00")],
      ["dunning_notice", jst("2027-04-11T00:00:00")],
      ["dunning_notice", jst("2027-04-18T00:00:00")],
      ["withdrawal", jst("2027-04-18T01:00:00")],
    ]);
  });

  it("a new dunning timeline re-plans unpaid contracts' notices and withdrawal; notices already sent are not sent again", async () => {
    const m = await setupTestMerchant(database, { now: jst("2027-03-01T09:00:00") });
    const { subscription } = await pastDue(m, jst("2027-03-01T09:00:00"));
    let h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("unpaid");
    expect(h.mails.filter((x) => x.template === "unpaid_notice")).toHaveLength(1);
    const untouched = await signedUpContract(m);

    const neverWithdraw: BillingSettings = {
      ...DEFAULT_BILLING_SETTINGS,
      dunning: {
        notices: [
          { template: "unpaid_notice", daysAfterPaidThrough: 1 },
          { template: "final_notice", daysAfterPaidThrough: 30 },
        ],
        withdraw: { enabled: false, hoursAfterLastNotice: 1 },
      },
    };
    const preview = await previewBillingSettings(m.ctx(), neverWithdraw);
    expect(preview).toMatchObject({ contractsChanged: 1, example: { subscriptionId: subscription.id } });
    // The example names each notice's mail: the final notice moves, the withdrawal goes.
    expect(preview.example!.after).toEqual([{ kind: "dunning_notice", dueAt: jst("2027-03-12T00:00:00"), template: "final_notice" }]);
    expect(preview.example!.before.map((step) => step.template ?? step.kind)).toEqual(expect.arrayContaining(["final_notice", "withdrawal_notice"]));
    await updateBillingSettings(m.ctx(), neverWithdraw);
    h = await contractHistory(database, subscription.id);
    expect(h.pending.map((a) => [a.kind, a.dueAt])).toEqual([["dunning_notice", jst("2027-03-12T00:00:00")]]);
    expect((await contractHistory(database, untouched.subscription.id)).pending.map((a) => a.kind)).toEqual(["renewal"]);

    // Nothing changes a second time.
    expect(await previewBillingSettings(m.ctx(), neverWithdraw)).toEqual({ contractsChanged: 0, example: null });
    await advanceTestClock(m.ctx(), { testClockId: (await contractHistory(database, subscription.id)).sub.testClockId!, frozenTime: jst("2027-12-31T00:00:00") });
    h = await contractHistory(database, subscription.id);
    expect(h.sub.status).toBe("unpaid");
    expect(h.mails.filter((x) => x.template === "unpaid_notice")).toHaveLength(1);
    expect(h.mails.filter((x) => x.template === "final_notice")).toHaveLength(1);
  });
});
