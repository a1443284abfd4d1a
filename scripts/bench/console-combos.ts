import { localDateOf } from "@/lib/billing/calendar";
import { SAVED_SEARCH_PRESETS } from "@/lib/services/saved-search-presets";
import type { SubscriptionSearch } from "@/lib/services/queries/subscription-search";
import type { ConsoleSeed } from "./console-seed";

/** One search of the benchmark: what the page would ask for. */
export type Combo = { name: string; search: Partial<SubscriptionSearch> };

/**
 * The searches `npm run bench -- console` times: the page's default, each status tab, every preset, free text
 * (broad and narrow, Japanese and Latin, ids), each sort column, the other filters, and deep pages (page 2,000 of 25
 * is row 50,000).
 */
export function consoleCombos(seed: ConsoleSeed, now: Date, timeZone: string, sample: { contractId: string; email: string }): Combo[] {
  const today = localDateOf(now, timeZone);
  const day = (offset: number) => today.add({ days: offset }).toString();
  const presets: Combo[] = SAVED_SEARCH_PRESETS.map((preset) => ({ name: `preset ${preset.key}`, search: preset.search }));
  return [
    { name: "default (all, newest first)", search: {} },
    { name: "all, page 2000", search: { page: 2000 } },
    { name: "all, 100 per page, page 500", search: { perPage: 100, page: 500 } },
    { name: "tab 有効 (active)", search: { status: ["active"] } },
    { name: "tab 有効, page 2000", search: { status: ["active"], page: 2000 } },
    { name: "tab 決済エラー (unpaid), page 2000", search: { status: ["unpaid"], page: 2000 } },
    { name: "tab 解約, by paid-through desc, page 100", search: { status: ["canceled"], sort: "paid_through", desc: true, page: 100 } },
    ...presets,
    { name: "q 山田 (two-character surname, 2.5 % of customers)", search: { q: "山田" } },
    { name: "q 山田 花子 (full name)", search: { q: "山田 花子" } },
    { name: "q e-mail part", search: { q: sample.email.split("@")[0]! } },
    { name: "q contract id", search: { q: sample.contractId } },
    { name: "product, newest first", search: { productId: seed.productIds[1] } },
    { name: "amount 1,000–3,000, by amount", search: { amountMin: 1000, amountMax: 3000, sort: "amount", desc: false } },
    { name: "by amount desc, page 2000", search: { sort: "amount", desc: true, page: 2000 } },
    { name: "by status, page 1000", search: { sort: "status", desc: false, page: 1000 } },
    { name: "by customer name", search: { sort: "customer_name", desc: false } },
    { name: "by customer name, page 2000", search: { sort: "customer_name", desc: false, page: 2000 } },
    { name: "by next action (soonest)", search: { sort: "next_action_at", desc: false } },
    { name: "next action retry in the next 7 days", search: { nextActionKind: "retry", nextActionFrom: day(0), nextActionTo: day(7), sort: "next_action_at", desc: false } },
    { name: "created in the last 30 days", search: { createdFrom: day(-30), createdTo: day(0) } },
    { name: "有効 paid through in the next 7 days, by paid-through", search: { status: ["active"], paidThroughFrom: day(0), paidThroughTo: day(7), sort: "paid_through", desc: false } },
    { name: "live only (no test clock)", search: { testClock: "live" } },
    { name: "one test clock", search: { testClock: seed.testClockIds[0] } },
    { name: "有効 with an expired card", search: { status: ["active"], card: "expired" } },
    { name: "by days unpaid, all statuses", search: { sort: "days_unpaid", desc: true } },
  ];
}
