import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, merchants } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import type { ServiceContext } from "./context";
import { updateBillingSettings } from "./update-billing-settings";
import { updateInvoiceRegistrationNumber } from "./update-invoice-registration-number";
import { updateMypagePolicy } from "./update-mypage-policy";
import { updateTimeZone } from "./update-time-zone";

/** The 請求設定 page's merchant details: mypage policy, registration number, time zone, and saving one section of the billing settings. */
describe("merchant billing details", () => {
  let database: Database;
  let m: TestMerchant;
  const staff = {} as Record<StaffRole, ServiceContext>;
  const now = new Date("2027-01-01T00:00:00Z");

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
    for (const role of ["owner", "admin", "operator", "viewer"] as const) staff[role] = await staffMemberOf(database, m, role, now);
  });
  afterAll(async () => database.close());

  const merchant = async () => (await database.db.select().from(merchants).where(eq(merchants.id, m.merchantId)))[0]!;
  const audits = async (action: string) =>
    database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, action))).orderBy(auditEvents.occurredAt, auditEvents.id);

  it("the mypage policy: saved and audited by an owner or admin, refused to operators and viewers", async () => {
    expect(await updateMypagePolicy(staff.admin, { cancel: "immediate_allowed", pause: true })).toEqual({ cancel: "immediate_allowed", pause: true });
    expect((await merchant()).mypagePolicy).toEqual({ cancel: "immediate_allowed", pause: true });
    const [audit] = await audits("merchant.mypage_policy_updated");
    expect(audit).toMatchObject({ actorType: "staff", data: { before: { cancel: "period_end", pause: false }, after: { cancel: "immediate_allowed", pause: true } } });

    for (const role of ["operator", "viewer"] as const) expect((await rejection(updateMypagePolicy(staff[role], { cancel: "period_end", pause: false }))).code).toBe("forbidden");
    const bad = await rejection(updateMypagePolicy(staff.owner, { cancel: "whenever", pause: true } as never));
    expect([bad.code, bad.details.param]).toEqual(["invalid", "cancel"]);
    expect((await merchant()).mypagePolicy).toEqual({ cancel: "immediate_allowed", pause: true });
    expect(await audits("merchant.mypage_policy_updated")).toHaveLength(1);
  });

  it("the registration number: normalised from full-width or lowercase, its check digit verified, blank clears", async () => {
    expect(await updateInvoiceRegistrationNumber(staff.owner, { registrationNumber: "ｔ７０００-０１２０-５０００２" })).toEqual({ registrationNumber: "T7000012050002" });
    expect((await merchant()).invoiceRegistrationNumber).toBe("T7000012050002");

    const wrongDigit = await rejection(updateInvoiceRegistrationNumber(staff.owner, { registrationNumber: "T1234567890123" }));
    expect(wrongDigit.details).toMatchObject({ param: "registrationNumber", reason: "registration_number_check_digit" });
    const wrongShape = await rejection(updateInvoiceRegistrationNumber(staff.owner, { registrationNumber: "T70000120500" }));
    expect(wrongShape.details).toMatchObject({ param: "registrationNumber", reason: "registration_number_format" });
    for (const role of ["operator", "viewer"] as const) expect((await rejection(updateInvoiceRegistrationNumber(staff[role], { registrationNumber: "" }))).code).toBe("forbidden");
    expect((await merchant()).invoiceRegistrationNumber).toBe("T7000012050002");

    await updateInvoiceRegistrationNumber(staff.admin, { registrationNumber: "  " });
    expect((await merchant()).invoiceRegistrationNumber).toBeNull();
    expect((await audits("merchant.invoice_registration_number_updated")).map((a) => a.data)).toEqual([
      { before: null, after: "T7000012050002" },
      { before: "T7000012050002", after: null },
    ]);
  });

  it("the time zone: an IANA zone, saved and audited; an unknown one or a viewer changes nothing", async () => {
    await updateTimeZone(staff.owner, { timeZone: " America/New_York " });
    expect((await merchant()).timeZone).toBe("America/New_York");
    const bad = await rejection(updateTimeZone(staff.owner, { timeZone: "Asia/Atlantis" }));
    expect([bad.code, bad.details.param]).toEqual(["invalid", "timeZone"]);
    expect((await rejection(updateTimeZone(staff.viewer, { timeZone: "Asia/Tokyo" }))).code).toBe("forbidden");
    expect((await merchant()).timeZone).toBe("America/New_York");
    await updateTimeZone(staff.admin, { timeZone: "Asia/Tokyo" });
    expect((await audits("merchant.time_zone_updated")).map((a) => a.data)).toEqual([
      { before: "Asia/Tokyo", after: "America/New_York" },
      { before: "America/New_York", after: "Asia/Tokyo" },
    ]);
  });

  it("billing settings saved a section at a time keep the other sections as saved", async () => {
    await updateBillingSettings(staff.owner, { retryScheduleDays: [5, 10] });
    await updateBillingSettings(staff.admin, { cardOnFileWindowDays: 90 });
    expect((await merchant()).billingSettings).toEqual({ ...DEFAULT_BILLING_SETTINGS, retryScheduleDays: [5, 10], cardOnFileWindowDays: 90 });
    const bad = await rejection(updateBillingSettings(staff.owner, { cardOnFileWindowDays: 0 }));
    expect([bad.code, bad.details.param]).toEqual(["invalid", "cardOnFileWindowDays"]);
    expect((await rejection(updateBillingSettings(staff.operator, { cardOnFileWindowDays: 30 }))).code).toBe("forbidden");
    expect((await merchant()).billingSettings.cardOnFileWindowDays).toBe(90);
  });
});
