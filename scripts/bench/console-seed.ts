import { rebuildDashboardRollups } from "@/lib/services/internal/dashboard-rollups";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { merchants, plans, products, testClocks } from "@/db/schema";
import { DEFAULT_BILLING_SETTINGS } from "@/lib/billing/billing-settings";
import { DEFAULT_TIME_ZONE } from "@/lib/billing/calendar";
import { newId } from "@/lib/ids";

/**
 * A merchant with many contracts in every status, written with set-based SQL (generate_series) so that a million
 * contracts take about a minute on PostgreSQL: the contracts workspace's benchmark (`npm run bench -- console`) and
 * the bulk-job benchmark seed with it. Each contract has its customer (Japanese names; about one customer in ten
 * holds two contracts), a sandbox card that charges successfully (expiry months spread from two years ago to six
 * years ahead), one invoice (the overdue one for past_due and unpaid contracts, else the last paid one) and its
 * earliest pending scheduled action, mirrored in `next_action_kind`/`next_action_at` as the scheduled-actions
 * module keeps them. Rows are written in chunks, each in a transaction of its own, so memory stays flat.
 *
 * Spread (of contracts): active 68 % (3 % of them canceling at period end), canceled 10 %, unpaid 7 % (days unpaid
 * from 14 to about 900, more of them recent), trialing 5 %, past_due 4 %, withdrawn 3 %, paused 2 %, incomplete 1 %;
 * created over the five years before `now`; about 1 % on one of three test clocks.
 */
export type ConsoleSeedOptions = {
  /** The instant the data is relative to (default: now). */
  now?: Date;
  timeZone?: string;
  /** Contracts per transaction (default 50,000). */
  chunk?: number;
  /** Called after each chunk with the contracts written so far. */
  onProgress?: (written: number) => void;
};

export type ConsoleSeed = {
  merchantId: string;
  productIds: string[];
  plans: { id: string; productId: string; amount: number }[];
  testClockIds: string[];
  customers: number;
};

const PRODUCTS = ["オンライン講座", "ファンクラブ会員", "定期便コーヒー", "マンスリーサポーター"];
/** [product index, amount in yen, interval] */
const PLANS: [number, number, "month" | "year" | "week"][] = [
  [0, 3000, "month"],
  [0, 30000, "year"],
  [0, 5000, "month"],
  [1, 500, "month"],
  [1, 980, "month"],
  [1, 9800, "year"],
  [2, 1500, "week"],
  [2, 2980, "month"],
  [2, 5400, "month"],
  [3, 1000, "month"],
  [3, 3000, "month"],
  [3, 12000, "year"],
];

// Names are chosen per row from these lists (kanji for the name, romaji for the e-mail address).
const SURNAMES = [
  ["佐藤", "sato"], ["鈴木", "suzuki"], ["高橋", "takahashi"], ["田中", "tanaka"], ["伊藤", "ito"], ["渡辺", "watanabe"], ["山本", "yamamoto"],
  ["中村", "nakamura"], ["小林", "kobayashi"], ["加藤", "kato"], ["吉田", "yoshida"], ["山田", "yamada"], ["佐々木", "sasaki"], ["山口", "yamaguchi"],
  ["松本", "matsumoto"], ["井上", "inoue"], ["木村", "kimura"], ["林", "hayashi"], ["斎藤", "saito"], ["清水", "shimizu"], ["山崎", "yamazaki"],
  ["森", "mori"], ["池田", "ikeda"], ["橋本", "hashimoto"], ["阿部", "abe"], ["石川", "ishikawa"], ["山下", "yamashita"], ["中島", "nakajima"],
  ["石井", "ishii"], ["小川", "ogawa"], ["前田", "maeda"], ["岡田", "okada"], ["長谷川", "hasegawa"], ["藤田", "fujita"], ["後藤", "goto"],
  ["近藤", "kondo"], ["村上", "murakami"], ["遠藤", "endo"], ["青木", "aoki"], ["坂本", "sakamoto"],
];
const GIVEN_NAMES = [
  ["太郎", "taro"], ["花子", "hanako"], ["翔太", "shota"], ["陽菜", "hina"], ["大輝", "daiki"], ["結衣", "yui"], ["蓮", "ren"], ["美咲", "misaki"],
  ["健太", "kenta"], ["さくら", "sakura"], ["悠斗", "yuto"], ["葵", "aoi"], ["拓海", "takumi"], ["彩", "aya"], ["直樹", "naoki"], ["真由美", "mayumi"],
  ["誠", "makoto"], ["恵子", "keiko"], ["亮", "ryo"], ["由美", "yumi"], ["浩", "hiroshi"], ["明美", "akemi"], ["学", "manabu"], ["千尋", "chihiro"],
  ["大和", "yamato"], ["七海", "nanami"], ["颯", "hayate"], ["ひなた", "hinata"], ["優", "yu"], ["美穂", "miho"],
];

const textArray = (values: readonly string[]) => sql`(array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[])`;

export async function seedConsoleContracts(db: Db, count: number, options: ConsoleSeedOptions = {}): Promise<ConsoleSeed> {
  const now = options.now ?? new Date();
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const chunk = options.chunk ?? 50_000;
  const merchantId = newId("mer");
  await db.insert(merchants).values({ id: merchantId, name: "一覧ベンチ商店", email: `${merchantId}@bench.test`, timeZone, billingSettings: DEFAULT_BILLING_SETTINGS });
  const productIds = PRODUCTS.map(() => newId("prod"));
  await db.insert(products).values(PRODUCTS.map((name, i) => ({ id: productIds[i]!, merchantId, name })));
  const planRows = PLANS.map(([product, amount, interval]) => ({
    id: newId("plan"),
    merchantId,
    productId: productIds[product]!,
    name: `${PRODUCTS[product]} ${interval === "year" ? "年額" : interval === "week" ? "週額" : "月額"} ${amount.toLocaleString("ja-JP")}円`,
    amount,
    currency: "jpy",
    interval,
    billingDay: null,
    firstPeriod: "full" as const,
    taxBehavior: "inclusive" as const,
    taxRate: 10,
  }));
  await db.insert(plans).values(planRows);
  const testClockIds = [1, 2, 3].map(() => newId("clock"));
  await db.insert(testClocks).values(testClockIds.map((id, i) => ({ id, merchantId, name: `テストクロック ${i + 1}`, frozenTime: now })));

  const customers = Math.ceil(count * 0.9);
  const params = {
    merchantId,
    // Ids are the product's shape (prefix, 32 hex digits): 12 digits of this seed's own time-ordered id, then the row
    // number, so that two seeds in one database never collide and contracts can name their customer's rows.
    stamp: newId("sub").slice(4, 16),
    now: now.toISOString(),
    timeZone,
    customers,
    planIds: textArray(planRows.map((p) => p.id)),
    planAmounts: sql`(array[${sql.join(planRows.map((p) => sql`${p.amount}`), sql`, `)}]::bigint[])`,
    clockIds: textArray(testClockIds),
    surnames: textArray(SURNAMES.map(([kanji]) => kanji!)),
    surnamesRomaji: textArray(SURNAMES.map(([, romaji]) => romaji!)),
    givenNames: textArray(GIVEN_NAMES.map(([kanji]) => kanji!)),
    givenNamesRomaji: textArray(GIVEN_NAMES.map(([, romaji]) => romaji!)),
  };
  const [role] = rowsOf<{ superuser: boolean }>(await db.execute(sql`select rolsuper as superuser from pg_roles where rolname = current_user`));
  const superuser = role?.superuser === true;
  for (let first = 1; first <= count; first += chunk) {
    const last = Math.min(count, first + chunk - 1);
    await db.transaction(async (tx) => {
      // These statements are large: PostgreSQL's JIT would spend far longer compiling them than running them.
      await tx.execute(sql`set local jit = off`);
      // The rows are consistent by construction: a superuser skips the per-row foreign-key triggers (half the time).
      if (superuser) await tx.execute(sql`set local session_replication_role = replica`);
      await seedCustomers(tx, first, Math.min(last, customers), params);
      await seedContracts(tx, first, last, params);
    });
    options.onProgress?.(last);
  }
  // The counts and dashboard rollups the triggers keep (they do not fire for a superuser's seed, above): counted
  // once from the rows.
  await db.transaction(async (tx) => {
    await rebuildDashboardRollups(tx, merchantId);
    await tx.execute(sql`delete from subscription_count_changes where merchant_id = ${merchantId}`);
    await tx.execute(sql`delete from subscription_counts where merchant_id = ${merchantId}`);
    await tx.execute(sql`
      insert into subscription_counts (merchant_id, plan_id, test_clock_id, status, overdue, count)
      select merchant_id, plan_id, coalesce(test_clock_id, ''), status, overdue_invoice_id is not null, count(*)
      from subscriptions where merchant_id = ${merchantId} group by 1, 2, 3, 4, 5`);
  });
  return { merchantId, productIds, plans: planRows.map((p) => ({ id: p.id, productId: p.productId, amount: p.amount })), testClockIds, customers };
}

type Params = {
  merchantId: string;
  stamp: string;
  now: string;
  timeZone: string;
  customers: number;
  planIds: ReturnType<typeof sql>;
  planAmounts: ReturnType<typeof sql>;
  clockIds: ReturnType<typeof sql>;
  surnames: ReturnType<typeof sql>;
  surnamesRomaji: ReturnType<typeof sql>;
  givenNames: ReturnType<typeof sql>;
  givenNamesRomaji: ReturnType<typeof sql>;
};

const seedId = (prefix: string, stamp: string, n: string) => sql.raw(`'${prefix}_${stamp}' || lpad(to_hex(${n}), 20, '0')`);

/** Customers first..last (1-based), each with a sandbox card that charges and its payment method. */
async function seedCustomers(tx: Db, first: number, last: number, p: Params): Promise<void> {
  if (first > last) return;
  const id = (prefix: string) => seedId(prefix, p.stamp, "c");
  await tx.execute(sql`
    insert into sandbox_cards (ref, token, brand, last4, exp_month, exp_year, behavior, attached)
    select ${id("card")}, ${id("tok_seed")}, (array['visa','mastercard','jcb','amex'])[1 + c % 4], lpad((c % 10000)::text, 4, '0'),
      1 + (m % 12), (m / 12)::int, 'succeed', true
    from (select c, ((extract(year from ${p.now}::timestamptz at time zone ${p.timeZone})::int * 12 + extract(month from ${p.now}::timestamptz at time zone ${p.timeZone})::int - 1) - 24 + (c::bigint * 7919) % 96) as m
          from generate_series(${first}::int, ${last}::int) c) x`);
  await tx.execute(sql`
    insert into customers (id, merchant_id, email, name, locale, test_clock_id, default_payment_method_id, created_at)
    select ${id("cus")}, ${p.merchantId},
      ${p.givenNamesRomaji}[1 + (c / 40) % 30] || '.' || ${p.surnamesRomaji}[1 + c % 40] || c || '@example.jp',
      ${p.surnames}[1 + c % 40] || ' ' || ${p.givenNames}[1 + (c / 40) % 30],
      'ja', case when c % 97 = 0 then ${p.clockIds}[1 + (c / 97) % 3] end, ${id("pm")},
      ${p.now}::timestamptz - make_interval(secs => (c::bigint * 104729 % 157680000))
    from generate_series(${first}::int, ${last}::int) c`);
  await tx.execute(sql`
    insert into payment_methods (id, merchant_id, customer_id, gateway, gateway_ref, brand, last4, exp_month, exp_year, created_at)
    select ${id("pm")}, ${p.merchantId}, ${id("cus")}, 'sandbox', ${id("card")}, sc.brand, sc.last4, sc.exp_month, sc.exp_year, cu.created_at
    from generate_series(${first}::int, ${last}::int) c
    join sandbox_cards sc on sc.ref = ${id("card")}
    join customers cu on cu.id = ${id("cus")}`);
}

/** Contracts first..last with their invoice and next pending action, from one temporary table of computed facts. */
async function seedContracts(tx: Db, first: number, last: number, p: Params): Promise<void> {
  await tx.execute(sql`drop table if exists console_seed`);
  // r_*: a fraction in [0, 1) per purpose, from a hash of the row number (independent of each other, and the same
  // data every run).
  await tx.execute(sql`
    create temporary table console_seed on commit drop as
    with base as (
      select n,
        case when n <= ${p.customers} then n else n - ${p.customers} end as c,
        ('x' || substr(h, 1, 8))::bit(32)::bigint::float8 / 4294967296 as r_status,
        ('x' || substr(h, 9, 8))::bit(32)::bigint::float8 / 4294967296 as r_days,
        ('x' || substr(h, 17, 8))::bit(32)::bigint::float8 / 4294967296 as r_created,
        1 + (n * 7) % 12 as plan_index,
        date_trunc('day', ${p.now}::timestamptz at time zone ${p.timeZone}) as today
      from generate_series(${first}::int, ${last}::int) n, md5(n::text) h
    ), facts as (
      select b.*,
        case when r_status < 0.68 then 'active' when r_status < 0.78 then 'canceled' when r_status < 0.85 then 'unpaid'
             when r_status < 0.90 then 'trialing' when r_status < 0.94 then 'past_due' when r_status < 0.97 then 'withdrawn'
             when r_status < 0.99 then 'paused' else 'incomplete' end as status,
        ${p.now}::timestamptz - make_interval(secs => (r_created * 157680000)::int) as created_at
      from base b
    ), dated as (
      select f.*,
        case status
          when 'active' then 1 + floor(r_days * 30)
          when 'trialing' then 1 + floor(r_days * 14)
          when 'paused' then 1 + floor(r_days * 30)
          when 'past_due' then -(1 + floor(r_days * 13))
          when 'unpaid' then -(14 + floor(r_days * r_days * 900))
          when 'withdrawn' then -(68 + floor(r_days * 700))
          when 'canceled' then floor(r_days * 400) - 370
        end as pt_days
      from facts f
    ), contracts as (
      select d.n, d.status,
        -- A trial began when the contract did; a contract still incomplete was made in the last month.
        case d.status when 'trialing' then (d.today + make_interval(days => d.pt_days::int - 14)) at time zone ${p.timeZone}
          when 'incomplete' then ${p.now}::timestamptz - make_interval(secs => (d.r_created * 2592000)::int) else d.created_at end as created_at,
        ${seedId("sub", p.stamp, "d.n")} as sub_id,
        ${seedId("in", p.stamp, "d.n")} as invoice_id,
        ${seedId("cus", p.stamp, "d.c")} as customer_id,
        ${seedId("pm", p.stamp, "d.c")} as pm_id,
        ${p.planIds}[d.plan_index] as plan_id, ${p.planAmounts}[d.plan_index] as amount,
        case when d.c % 97 = 0 then ${p.clockIds}[1 + (d.c / 97) % 3] end as test_clock_id,
        case when d.pt_days is null then null else (d.today + make_interval(days => d.pt_days::int)) at time zone ${p.timeZone} end as paid_through,
        d.status = 'active' and d.n % 33 = 0 as cancel_at_period_end,
        -- The card's expiry month (year × 100 + month), as seedCustomers made it for this customer.
        (m / 12) * 100 + 1 + m % 12 as card_expiry_month
      from dated d, lateral (select (extract(year from ${p.now}::timestamptz at time zone ${p.timeZone})::int * 12
        + extract(month from ${p.now}::timestamptz at time zone ${p.timeZone})::int - 1) - 24 + (d.c::bigint * 7919) % 96 as m) card
    )
    -- The next pending action of each live contract, as the billing rules would have planned it.
    select c.*,
      case
        when status = 'active' and cancel_at_period_end then 'period_end_cancel'
        when status = 'active' then 'renewal'
        when status = 'trialing' then 'trial_end'
        when status = 'past_due' then 'retry'
        when status = 'unpaid' and paid_through + interval '60 days' > ${p.now}::timestamptz then 'dunning_notice'
        when status = 'unpaid' and paid_through + interval '67 days' > ${p.now}::timestamptz then 'withdrawal'
        when status = 'paused' and n % 2 = 0 then 'unpause'
      end as action_kind,
      case
        when status in ('active', 'trialing') then paid_through
        when status = 'past_due' and paid_through + interval '7 days' > ${p.now}::timestamptz then paid_through + interval '7 days'
        when status = 'past_due' then paid_through + interval '14 days'
        when status = 'unpaid' and paid_through + interval '60 days' > ${p.now}::timestamptz then paid_through + interval '60 days'
        when status = 'unpaid' and paid_through + interval '67 days' > ${p.now}::timestamptz then paid_through + interval '67 days 1 hour'
        when status = 'paused' and n % 2 = 0 then paid_through + interval '30 days'
      end as action_at
    from contracts c`);
  await tx.execute(sql`
    insert into subscriptions (id, merchant_id, customer_id, plan_id, payment_method_id, test_clock_id, status, billing_anchor, trial_start, trial_end,
      current_period_start, paid_through, cancel_at_period_end, cancel_reason, canceled_at, ended_at, overdue_invoice_id, unpaid_since, last_payment_at,
      paused_at, resume_at, next_action_kind, next_action_at, card_expiry_month, created_at, updated_at)
    select sub_id, ${p.merchantId}, customer_id, plan_id, case when status = 'incomplete' and n % 2 = 0 then null else pm_id end, test_clock_id, status,
      extract(day from coalesce(paid_through, created_at) at time zone ${p.timeZone})::int,
      case when status = 'trialing' then paid_through - interval '14 days' end, case when status = 'trialing' then paid_through end,
      paid_through - interval '1 month', paid_through, cancel_at_period_end,
      case when status = 'canceled' then '引っ越しのため' end,
      case when status = 'canceled' then least(paid_through, ${p.now}::timestamptz) end,
      case when status in ('canceled', 'withdrawn') then least(paid_through + interval '67 days', ${p.now}::timestamptz) end,
      case when status in ('past_due', 'unpaid') then invoice_id end,
      case when status = 'unpaid' then paid_through + interval '14 days' end,
      case when status not in ('incomplete', 'trialing') then paid_through - interval '1 month' end,
      case when status = 'paused' then paid_through - interval '10 days' end,
      case when status = 'paused' and n % 2 = 0 then paid_through + interval '30 days' end,
      action_kind, action_at, case when status = 'incomplete' and n % 2 = 0 then null else card_expiry_month end, created_at, created_at
    from console_seed`);
  await tx.execute(sql`
    insert into invoices (id, merchant_id, subscription_id, customer_id, plan_id, kind, status, currency, subtotal, tax, total, period_start, period_end,
      billing_key, attempt_count, paid_at, created_at, issued_at)
    select invoice_id, ${p.merchantId}, sub_id, customer_id, plan_id,
      case when status in ('incomplete', 'trialing') then 'first' else 'renewal' end,
      case when status in ('past_due', 'unpaid', 'incomplete') then 'open' when status = 'trialing' then 'paid' when status = 'withdrawn' then 'uncollectible' else 'paid' end,
      'jpy', amount, amount * 10 / 110, amount,
      case when status in ('past_due', 'unpaid', 'withdrawn') then paid_through else coalesce(paid_through - interval '1 month', created_at) end,
      case when status in ('past_due', 'unpaid', 'withdrawn') then paid_through + interval '1 month' else coalesce(paid_through, created_at + interval '1 month') end,
      'seed:' || sub_id,
      case when status = 'past_due' then 1 + n % 2 when status in ('unpaid', 'withdrawn') then 3 else 1 end,
      case when status not in ('past_due', 'unpaid', 'incomplete', 'withdrawn') then coalesce(paid_through - interval '1 month', created_at) end,
      created_at, coalesce(case when status in ('past_due', 'unpaid', 'withdrawn') then paid_through else paid_through - interval '1 month' end, created_at)
    from console_seed`);
  await tx.execute(sql`
    insert into scheduled_actions (id, merchant_id, subscription_id, invoice_id, test_clock_id, kind, due_at, status, idempotency_key, payload, created_at)
    select 'act_' || substr(sub_id, 5), ${p.merchantId}, sub_id, case when action_kind in ('retry', 'dunning_notice', 'withdrawal') then invoice_id end, test_clock_id,
      action_kind, action_at, 'pending', action_kind || ':' || sub_id,
      case action_kind when 'retry' then '{"retryNumber": 1}'::jsonb when 'dunning_notice' then '{"template": "final_notice"}'::jsonb else '{}'::jsonb end,
      ${p.now}::timestamptz
    from console_seed where action_kind is not null`);
}
