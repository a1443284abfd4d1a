import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase } from "@/test/support/database";
import { setupTestApi } from "@/test/support/api";
import { billingFixtures } from "@/test/support/billing-fixtures";

const jst = (local: string) => new Date(`${local}+09:00`).toISOString();

type Mail = { id: string; template: string; subject: string; created: string; invoice: string | null };

describe("API: mails", () => {
  let database: Database;
  let api: Awaited<ReturnType<typeof setupTestApi>>;
  let f: ReturnType<typeof billingFixtures>;
  beforeAll(async () => {
    database = await openTestDatabase();
    api = await setupTestApi(database);
    f = billingFixtures(database, api);
  });
  afterAll(async () => database.close());

  it("lists a contract's mails newest first with real subjects in the customer's language", async () => {
    const plan = await f.plan({ trial_days: 14, trial_reminder_days: 3 });
    const { customer, clock } = await f.customer({ clockAt: new Date(jst("2027-01-10T12:00:00")) });
    const sub = (await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id })).body;
    await f.advance(clock!.id, new Date(jst("2027-01-24T09:00:00")));
    await api.call("POST", `/subscriptions/${sub.id}/cancel`, { at_period_end: false });
    const firstInvoice = (await api.getOk(`/subscriptions/${sub.id}`)).latest_invoice;

    const list = await api.getOk(`/mails?subscription=${sub.id}`);
    expect(list).toMatchObject({ object: "list", has_more: false });
    expect(list.data.map((m: Mail) => [m.template, m.subject, m.created, m.invoice])).toEqual([
      ["canceled", "【API テスト商店】オンライン英会話の解約を承りました", jst("2027-01-24T09:00:00"), null],
      ["charge_succeeded", "【API テスト商店】お支払いありがとうございます（¥3,000）", jst("2027-01-24T00:00:00"), firstInvoice],
      ["trial_ending", "【API テスト商店】オンライン英会話のお試し期間は2027年1月24日までです", jst("2027-01-21T00:00:00"), null],
      ["welcome", "【API テスト商店】オンライン英会話へのお申し込みありがとうございます", jst("2027-01-10T12:00:00"), null],
    ]);
    expect(list.data[0]).toEqual({
      id: expect.stringMatching(/^mail_/),
      object: "mail",
      template: "canceled",
      to: customer.email,
      subject: "【API テスト商店】オンライン英会話の解約を承りました",
      locale: "ja",
      status: "queued",
      customer: customer.id,
      subscription: sub.id,
      invoice: null,
      created: jst("2027-01-24T09:00:00"),
    });
    expect(await api.getOk(`/mails/${list.data[1].id}`)).toEqual(list.data[1]);

    const english = await f.customer({ locale: "en", name: "Jane Doe" });
    const monthly = await f.plan();
    const enSub = (await api.call("POST", "/subscriptions", { customer: english.customer.id, plan: monthly.id })).body;
    expect((await api.getOk(`/mails?subscription=${enSub.id}`)).data.map((m: Mail & { locale: string }) => [m.template, m.locale, m.subject])).toEqual([
      ["charge_succeeded", "en", "[API テスト商店] Payment received: ¥3,000"],
      ["welcome", "en", "[API テスト商店] Welcome to オンライン英会話"],
    ]);

    const declining = await f.customer({ card: "decline" });
    const declined = await api.call("POST", "/subscriptions", { customer: declining.customer.id, plan: monthly.id });
    expect(declined.status).toBe(402);
    const failedMail = (await api.getOk(`/mails?subscription=${declined.body.error.subscription}&template=charge_failed`)).data;
    expect(failedMail.map((m: Mail) => [m.subject, m.invoice])).toEqual([["【API テスト商店】お支払いができませんでした：カード情報の更新をお願いします", declined.body.error.invoice]]);
  });

  it("filters by customer, subscription and template, pages with a cursor, and validates the query", async () => {
    const plan = await f.plan();
    const { customer } = await f.customer();
    const subs = [];
    for (let i = 0; i < 2; i++) subs.push((await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id })).body);
    const all = await api.getOk(`/mails?customer=${customer.id}`);
    expect(all.data.map((m: Mail) => m.template)).toEqual(["charge_succeeded", "welcome", "charge_succeeded", "welcome"]);
    expect((await api.getOk(`/mails?customer=${customer.id}&template=welcome`)).data.map((m: Mail) => m.id)).toEqual([all.data[1].id, all.data[3].id]);
    expect((await api.getOk(`/mails?subscription=${subs[0].id}&template=welcome`)).data.map((m: Mail) => m.id)).toEqual([all.data[3].id]);
    expect((await api.getOk(`/mails?customer=${customer.id}&template=final_notice`)).data).toEqual([]);

    const page1 = await api.getOk(`/mails?customer=${customer.id}&limit=3`);
    expect(page1.data.map((m: Mail) => m.id)).toEqual(all.data.slice(0, 3).map((m: Mail) => m.id));
    expect(page1.has_more).toBe(true);
    const page2 = await api.getOk(`/mails?customer=${customer.id}&limit=3&starting_after=${page1.data[2].id}`);
    expect(page2.data.map((m: Mail) => m.id)).toEqual([all.data[3].id]);
    expect(page2.has_more).toBe(false);

    for (const [query, param] of [
      ["template=newsletter", "template"],
      ["limit=-1", "limit"],
      ["to=a@example.jp", "to"],
    ]) {
      const r = await api.call("GET", `/mails?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error).toMatchObject({ type: "invalid_request_error", param });
    }
  });

  it("treats another merchant's mails as absent", async () => {
    const plan = await f.plan();
    const { customer } = await f.customer();
    await api.call("POST", "/subscriptions", { customer: customer.id, plan: plan.id });
    const [mail] = (await api.getOk(`/mails?customer=${customer.id}&template=welcome`)).data;
    const other = await setupTestApi(database);
    const theirs = await other.call("GET", `/mails/${mail.id}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error).toMatchObject({ code: "resource_missing", param: "id" });
    expect((await other.call("GET", `/mails?customer=${customer.id}`)).body.data).toEqual([]);
    expect((await other.call("GET", "/mails?limit=100")).body.data).toEqual([]);
    expect((await api.call("GET", "/mails/mail_nope")).status).toBe(404);
    expect((await api.call("GET", "/mails", undefined, {}, null)).status).toBe(401);
  });
});
