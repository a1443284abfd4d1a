import { describe, expect, it } from "vitest";
import { DASHBOARD_CONTRACTS, DASHBOARD_EXPECTED, DASHBOARD_FAILED_RENEWALS, DASHBOARD_NOW, DASHBOARD_PLANS, DASHBOARD_UPCOMING } from "@/test/fixtures/dashboard-history";
import { annualNet, chargeOf, type ContractHistory, dashboardFigures, monthWindows, type UpcomingRenewal } from "./dashboard-metrics";

const TZ = "Asia/Tokyo";
const at = (iso: string) => new Date(iso);

const { monthly, weekly, yearly, quarterly } = DASHBOARD_PLANS;

describe("annualNet", () => {
  it("takes the tax out and normalises every interval to a year", () => {
    expect(annualNet(monthly)).toBe(12_000); // 1,100 with 10 % inside → 1,000 × 12
    expect(annualNet(weekly)).toBe(26_000); // 500 × 52
    expect(annualNet(yearly)).toBe(12_000);
    expect(annualNet(quarterly)).toBe(12_000); // 3,000 × 4
    expect(annualNet({ amount: 980, interval: "2week", taxBehavior: "inclusive", taxRate: 8 })).toBe((980 - 72) * 26);
    expect(annualNet({ amount: 6000, interval: "6month", taxBehavior: "exclusive", taxRate: 10 })).toBe(12_000);
  });
  it("a renewal charges the price with its tax", () => {
    expect(chargeOf(monthly)).toBe(1100);
    expect(chargeOf(weekly)).toBe(550);
    expect(chargeOf(yearly)).toBe(12_960);
  });
});

describe("monthWindows", () => {
  it("bounds months at local midnight in the merchant's zone", () => {
    const windows = monthWindows(at("2027-03-15T03:00:00Z"), TZ, 3);
    expect(windows.map((w) => w.month)).toEqual(["2027-01", "2027-02", "2027-03"]);
    expect(windows[1]!.start.toISOString()).toBe("2027-01-31T15:00:00.000Z");
    expect(windows[1]!.end.toISOString()).toBe("2027-02-28T15:00:00.000Z");
  });
  it("a UTC instant already in the next local month belongs to it", () => {
    expect(monthWindows(at("2027-03-31T16:00:00Z"), TZ, 1)[0]!.month).toBe("2027-04");
  });
});

describe("dashboardFigures on a hand-built history", () => {
  const now = DASHBOARD_NOW;
  const contracts: ContractHistory[] = DASHBOARD_CONTRACTS.map((c) => ({
    plan: DASHBOARD_PLANS[c.plan],
    status: c.status,
    startedAt: c.paid ? (c.trialEnd ?? c.createdAt) : null,
    endedAt: c.endedAt,
  }));
  const planOf = (name: string) => DASHBOARD_PLANS[DASHBOARD_CONTRACTS.find((c) => c.name === name)!.plan];
  const upcomingRenewals: UpcomingRenewal[] = DASHBOARD_UPCOMING.map((u) => ({ dueAt: u.dueAt, amount: chargeOf(planOf(u.contract)) }));
  const figures = dashboardFigures({ contracts, failedRenewals: DASHBOARD_FAILED_RENEWALS, upcomingRenewals, now, timeZone: TZ, months: 3 });

  it("MRR today: contracts that started paying by the end of today and have not ended, trials and tax out", () => {
    // A 12,000 + B 26,000 + E 12,000 + G 12,000 + I 12,000 (its trial ends tonight) a year = 74,000 / 12 = 6,166.67;
    // D's trial ends on the 20th, H never paid.
    expect(figures.mrr).toBe(DASHBOARD_EXPECTED.mrr);
    expect(figures.mrr).toBe(6167);
  });

  it("counts by status", () => {
    expect(figures.counts).toEqual({ active: 2, trialing: 2, past_due: 1, unpaid: 1 });
  });

  it("month by month: MRR, new, churned and churn rate", () => {
    // January ends with A, C, G (36,000 / 12). February: B starts at its first instant (+26,000 / 12 = 2,167), C ends
    // in its last second (−1,000), F's end before its start is no churn: 3,000 + 2,167 − 1,000 = 4,167, 1 of 3 churned.
    // March: E and I (+2,000) → 6,167; D starts after today, so not yet.
    expect(figures.months.map(({ month, mrr, newMrr, churnedMrr, contractsAtStart, churnedContracts, churnRate }) => ({ month, mrr, newMrr, churnedMrr, contractsAtStart, churnedContracts, churnRate }))).toEqual([
      { month: "2027-01", mrr: 3000, newMrr: 0, churnedMrr: 0, contractsAtStart: 3, churnedContracts: 0, churnRate: 0 },
      { month: "2027-02", mrr: 4167, newMrr: 2167, churnedMrr: 1000, contractsAtStart: 3, churnedContracts: 1, churnRate: 1 / 3 },
      { month: "2027-03", mrr: 6167, newMrr: 2000, churnedMrr: 0, contractsAtStart: 3, churnedContracts: 0, churnRate: 0 },
    ]);
  });

  it("recovery: failed renewals by the month they failed, later paid ÷ failed", () => {
    expect(figures.months.map(({ failedRenewals, recoveredRenewals, recoveredAmount, recoveryRate }) => ({ failedRenewals, recoveredRenewals, recoveredAmount, recoveryRate }))).toEqual([
      { failedRenewals: 0, recoveredRenewals: 0, recoveredAmount: 0, recoveryRate: null },
      { failedRenewals: 3, recoveredRenewals: 2, recoveredAmount: 4400, recoveryRate: 2 / 3 },
      { failedRenewals: 1, recoveredRenewals: 0, recoveredAmount: 0, recoveryRate: 0 },
    ]);
  });

  it("upcoming renewals: not run yet and due by the end of the 7th / 30th local day, today the first", () => {
    // A (due now), B (the 7th day's last minute) and D (due yesterday, not run): 1,100 + 550 + 1,100; E is on the 8th.
    expect(figures.upcoming7).toEqual({ count: 3, amount: 2750 });
    // And E, C (12,960, the 30th day's last hour); G is on the 31st.
    expect(figures.upcoming30).toEqual({ count: 5, amount: 19_010 });
  });

  it("is the shared expectation the SQL queries are held to", () => {
    expect(figures).toEqual(DASHBOARD_EXPECTED);
  });

  it("with no history every figure is zero and the rates are unknown", () => {
    const empty = dashboardFigures({ contracts: [], failedRenewals: [], upcomingRenewals: [], now, timeZone: TZ, months: 1 });
    expect(empty.mrr).toBe(0);
    expect(empty.months[0]).toMatchObject({ mrr: 0, churnRate: null, recoveryRate: null });
  });
});
