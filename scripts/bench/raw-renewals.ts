import { localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import { addCycles } from "@/lib/billing/cycle";
import { formatMoney } from "@/lib/billing/money";
import { INTERVAL_LABELS_JA, type BillingInterval, type TaxBehavior } from "@/lib/billing/plan";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { invoiceTotals } from "@/lib/billing/tax";
import { mypageUrl } from "@/lib/mail/links";
import { formatMailDate } from "@/lib/mail/mail-date";
import { configuredMailLinks } from "@/lib/platform";
import { newId } from "@/lib/ids";
import type { RawQuery, RawSql } from "./database";

/**
 * The bill run written by hand, in the shape the services now have: per claimed batch one transaction that locks
 * the contracts and actions, issues the invoices and opens the attempts; the sandbox's ledger booked for the batch;
 * one transaction that settles it. The same rows as the services write, with plain SQL: multi-row statements whose
 * rows travel as one JSON parameter, named prepared statements. Service rate / this rate is what drizzle, the
 * general service code (every kind of action, test clocks, several merchants, crash recovery) and the domain rules
 * cost.
 *
 * Rows written per renewal, as by the services: invoice, invoice line, invoice.attempt_count, payment attempt,
 * sandbox charge, then action completed, attempt settled, invoice paid, subscription renewed, next renewal action,
 * receipt mail, audit event, webhook event (with its invoice snapshot). Left out, as a hand-written bill run for this one case would: the action read before
 * the first transaction, the look-ups of invoices already issued and attempts in flight, the card read (joined into
 * the contract lock), the invoice lock and the second contract lock reading only the subscription row.
 */

const CLAIM = `
  update scheduled_actions set lease_until = $1, run_count = run_count + 1
  where id in (
    select id from scheduled_actions
    where status = 'pending' and test_clock_id is null and due_at <= $2 and (lease_until is null or lease_until < $2)
    order by due_at limit $3
    for update skip locked)
  returning id, subscription_id`;

const IDS = `(select jsonb_array_elements_text($1::text::jsonb))`;

const LOCK_CONTRACTS = `
  select s.id, s.merchant_id, s.customer_id, s.payment_method_id, s.status, s.paid_through, s.billing_anchor,
         p.amount, p.currency, p.interval, p.name as plan_name, p.tax_behavior, p.tax_rate,
         pr.name as product_name, m.name as merchant_name, m.time_zone, c.email, c.name as customer_name, c.locale,
         pm.gateway_ref
  from subscriptions s
  join plans p on p.id = s.plan_id
  join products pr on pr.id = p.product_id
  join merchants m on m.id = s.merchant_id
  join customers c on c.id = s.customer_id
  left join payment_methods pm on pm.id = s.payment_method_id
  where s.id in ${IDS}
  order by s.id
  for update of s`;

const LOCK_ACTIONS = `select id, status from scheduled_actions where id in ${IDS} order by id for update`;

const INSERT_INVOICES = `
  insert into invoices (id, merchant_id, subscription_id, customer_id, kind, status, currency, subtotal, tax, total,
                        period_start, period_end, billing_key, issued_at)
  select id, merchant_id, subscription_id, customer_id, 'renewal', 'open', currency, subtotal, tax, total,
         period_start, period_end, billing_key, issued_at
  from jsonb_to_recordset($1::text::jsonb) as v(id text, merchant_id text, subscription_id text, customer_id text, currency text,
       subtotal bigint, tax bigint, total bigint, period_start timestamptz, period_end timestamptz, billing_key text, issued_at timestamptz)
  on conflict (merchant_id, billing_key) do nothing
  returning id`;

const INSERT_LINES = `
  insert into invoice_lines (id, merchant_id, invoice_id, position, kind, description, amount, quantity, period_start, period_end)
  select id, merchant_id, invoice_id, 0, 'period', description, amount, 1, period_start, period_end
  from jsonb_to_recordset($1::text::jsonb) as v(id text, merchant_id text, invoice_id text, description text, amount bigint,
       period_start timestamptz, period_end timestamptz)`;

const COUNT_ATTEMPTS = `update invoices set attempt_count = attempt_count + 1 where id in ${IDS}`;

const INSERT_ATTEMPTS = `
  insert into payment_attempts (id, merchant_id, invoice_id, attempt_number, idempotency_key, payment_method_id,
                                amount, currency, status, trigger, action_id, attempted_at)
  select id, merchant_id, invoice_id, 1, idempotency_key, payment_method_id, amount, currency, 'pending', 'scheduled', action_id, attempted_at
  from jsonb_to_recordset($1::text::jsonb) as v(id text, merchant_id text, invoice_id text, idempotency_key text, payment_method_id text,
       amount bigint, currency text, action_id text, attempted_at timestamptz)`;

const SANDBOX_CARDS = `select ref, behavior, attached from sandbox_cards where ref in ${IDS}`;

const INSERT_CHARGES = `
  insert into sandbox_charges (id, idempotency_key, card_ref, amount, currency, outcome)
  select id, idempotency_key, card_ref, amount, currency, 'succeeded'
  from jsonb_to_recordset($1::text::jsonb) as v(id text, idempotency_key text, card_ref text, amount bigint, currency text)
  on conflict (idempotency_key) do nothing
  returning id, idempotency_key`;

const LOCK_SUBSCRIPTIONS = `select id from subscriptions where id in ${IDS} order by id for update`;

const COMPLETE_ACTIONS = `
  update scheduled_actions set status = 'done', outcome = 'paid', completed_at = $2, lease_until = null, last_error = null
  where id in (select jsonb_array_elements_text($1::text::jsonb))`;

const SETTLE_ATTEMPTS = `
  update payment_attempts a set status = 'succeeded', failure_code = null, gateway_charge_id = v.charge_id, completed_at = $2
  from jsonb_to_recordset($1::text::jsonb) as v(id text, charge_id text)
  where a.id = v.id and a.status = 'pending'
  returning a.id`;

const PAY_INVOICES = `update invoices set status = 'paid', paid_at = $2 where id in (select jsonb_array_elements_text($1::text::jsonb))`;

const RENEW_SUBSCRIPTIONS = `
  update subscriptions s set last_payment_at = $2, status = 'active', current_period_start = v.period_start,
         paid_through = v.period_end, overdue_invoice_id = null, updated_at = $2
  from jsonb_to_recordset($1::text::jsonb) as v(id text, period_start timestamptz, period_end timestamptz)
  where s.id = v.id`;

const SCHEDULE_RENEWALS = `
  insert into scheduled_actions (id, merchant_id, kind, due_at, idempotency_key, subscription_id, payload)
  select id, merchant_id, 'renewal', due_at, idempotency_key, subscription_id, '{}'::jsonb
  from jsonb_to_recordset($1::text::jsonb) as v(id text, merchant_id text, due_at timestamptz, idempotency_key text, subscription_id text)
  on conflict (merchant_id, idempotency_key) do update
    set status = 'pending', due_at = excluded.due_at, lease_until = null, completed_at = null, outcome = null, dispatched_at = null
    where scheduled_actions.status = 'canceled'`;

const INSERT_MAILS = `
  insert into mails (id, merchant_id, customer_id, subscription_id, invoice_id, template, to_address, locale, variables,
                     links, idempotency_key, queued_at)
  select id, merchant_id, customer_id, subscription_id, invoice_id, 'charge_succeeded', to_address, locale, variables,
         links, idempotency_key, $2
  from jsonb_to_recordset($1::text::jsonb) as v(id text, merchant_id text, customer_id text, subscription_id text, invoice_id text,
       to_address text, locale text, variables jsonb, links jsonb, idempotency_key text)
  on conflict (merchant_id, idempotency_key) do nothing`;

const INSERT_AUDITS = `
  insert into audit_events (id, merchant_id, actor_type, actor_id, action, target_type, target_id, data, occurred_at)
  select id, merchant_id, 'system', null, 'invoice.paid', 'invoice', target_id, data, $2
  from jsonb_to_recordset($1::text::jsonb) as v(id text, merchant_id text, target_id text, data jsonb)`;

// The invoice.paid event of outgoing webhooks with the paid invoice's snapshot, made from what this run holds.
const INSERT_EVENTS = `
  insert into events (id, merchant_id, type, object_type, object_id, object, created_at)
  select id, merchant_id, 'invoice.paid', 'invoice', object->>'id', object, $2
  from jsonb_to_recordset($1::text::jsonb) as v(id text, merchant_id text, object jsonb)`;

type ClaimedRow = { id: string; subscription_id: string };

type ContractRow = {
  id: string;
  merchant_id: string;
  customer_id: string;
  payment_method_id: string | null;
  status: string;
  paid_through: Date;
  billing_anchor: number;
  amount: string | number;
  currency: string;
  interval: BillingInterval;
  plan_name: string | null;
  tax_behavior: TaxBehavior;
  tax_rate: number;
  product_name: string;
  merchant_name: string;
  time_zone: string;
  email: string;
  customer_name: string;
  locale: "ja" | "en";
  gateway_ref: string | null;
};

/** The renewal invoice the service would issue for this contract's next period. */
function renewalInvoice(c: ContractRow) {
  const periodStart = localDateOf(c.paid_through, c.time_zone);
  const periodEnd = addCycles(periodStart, c.interval, c.billing_anchor, 1);
  const amount = Number(c.amount);
  const planName = c.plan_name ?? c.product_name;
  return {
    id: newId("in"),
    totals: invoiceTotals([{ amount, taxRate: c.tax_rate }], c.tax_behavior),
    periodStart: c.paid_through,
    periodEnd: startOfLocalDay(periodEnd, c.time_zone),
    lineStart: startOfLocalDay(periodStart, c.time_zone),
    description: `${planName} (${INTERVAL_LABELS_JA[c.interval]}) ${periodStart.toString()}〜${periodEnd.toString()}`,
    billingKey: `renewal:${c.id}:${c.paid_through.toISOString()}`,
  };
}

type Opened = { actionId: string; contract: ContractRow; invoice: ReturnType<typeof renewalInvoice>; attemptId: string; idempotencyKey: string };

// Rows go as JSON text, cast on the server ($1::text::jsonb): a jsonb-typed parameter would be JSON-encoded again by the driver.
const json = (value: unknown) => JSON.stringify(value);

/** Transaction 1 for a batch: lock contracts and actions, issue the invoices, open the attempts. */
async function openRenewals(q: RawQuery, claimed: readonly ClaimedRow[], now: Date): Promise<Opened[]> {
  const contracts = new Map((await q<ContractRow>(LOCK_CONTRACTS, [json(claimed.map((c) => c.subscription_id))])).map((c) => [c.id, c]));
  const pending = new Set((await q<{ id: string; status: string }>(LOCK_ACTIONS, [json(claimed.map((c) => c.id))])).filter((a) => a.status === "pending").map((a) => a.id));
  const due = claimed.flatMap((action) => {
    const contract = contracts.get(action.subscription_id);
    return contract && pending.has(action.id) && contract.status === "active" ? [{ action, contract, invoice: renewalInvoice(contract) }] : [];
  });
  if (due.length === 0) return [];
  const created = new Set(
    (
      await q<{ id: string }>(INSERT_INVOICES, [
        json(
          due.map(({ contract: c, invoice }) => ({
            id: invoice.id, merchant_id: c.merchant_id, subscription_id: c.id, customer_id: c.customer_id, currency: c.currency,
            subtotal: invoice.totals.subtotal, tax: invoice.totals.tax, total: invoice.totals.total,
            period_start: invoice.periodStart, period_end: invoice.periodEnd, billing_key: invoice.billingKey, issued_at: now,
          })),
        ),
      ])
    ).map((r) => r.id),
  );
  const issued = due.filter(({ invoice }) => created.has(invoice.id));
  await q(INSERT_LINES, [
    json(
      issued.map(({ contract: c, invoice }) => ({
        id: newId("il"), merchant_id: c.merchant_id, invoice_id: invoice.id, description: invoice.description, amount: Number(c.amount),
        period_start: invoice.lineStart, period_end: invoice.periodEnd,
      })),
    ),
  ]);
  await q(COUNT_ATTEMPTS, [json(issued.map(({ invoice }) => invoice.id))]);
  const opened = issued.map(({ action, contract, invoice }) => ({ actionId: action.id, contract, invoice, attemptId: newId("pa"), idempotencyKey: `${invoice.id}:1` }));
  await q(INSERT_ATTEMPTS, [
    json(
      opened.map(({ contract: c, invoice, attemptId, idempotencyKey, actionId }) => ({
        id: attemptId, merchant_id: c.merchant_id, invoice_id: invoice.id, idempotency_key: idempotencyKey, payment_method_id: c.payment_method_id,
        amount: invoice.totals.total, currency: c.currency, action_id: actionId, attempted_at: now,
      })),
    ),
  ]);
  return opened;
}

/** The receipt mail's variables as the services write them: dates in the customer's language; the links are signed when it is sent. */
function receiptVariables(c: ContractRow, paidThrough: Date, total: number) {
  const links = configuredMailLinks();
  const date = formatMailDate(paidThrough, c.time_zone, c.locale);
  return {
    name: c.customer_name,
    plan: c.plan_name ?? c.product_name,
    product: c.product_name,
    amount: formatMoney({ amount: total, currency: c.currency }),
    paid_through: date,
    next_charge_date: date,
    trial_end: "",
    mypage_url: mypageUrl(links, c.merchant_id),
    merchant: c.merchant_name,
    footer: c.merchant_name,
  };
}

/** The sandbox's ledger for the batch: the cards' behaviour, then one row per charge. */
async function bookCharges(raw: RawSql, opened: readonly Opened[]): Promise<Map<string, string>> {
  await raw.query(SANDBOX_CARDS, [json([...new Set(opened.map((o) => o.contract.gateway_ref))])]);
  const rows = await raw.query<{ id: string; idempotency_key: string }>(INSERT_CHARGES, [
    json(opened.map((o) => ({ id: newId("ch"), idempotency_key: o.idempotencyKey, card_ref: o.contract.gateway_ref, amount: o.invoice.totals.total, currency: o.contract.currency.toUpperCase() }))),
  ]);
  if (rows.length !== opened.length) throw new Error(`raw: ${opened.length - rows.length} charges already existed`);
  return new Map(rows.map((r) => [r.idempotency_key, r.id]));
}

/** Transaction 2 for the batch: the gateway said yes; actions, attempts, invoices and contracts move on, mails and audit follow. */
async function settleRenewals(q: RawQuery, opened: readonly Opened[], chargeIds: Map<string, string>, now: Date): Promise<void> {
  await q(LOCK_SUBSCRIPTIONS, [json(opened.map((o) => o.contract.id))]);
  await q(COMPLETE_ACTIONS, [json(opened.map((o) => o.actionId)), now]);
  const settled = await q(SETTLE_ATTEMPTS, [json(opened.map((o) => ({ id: o.attemptId, charge_id: chargeIds.get(o.idempotencyKey) }))), now]);
  if (settled.length !== opened.length) throw new Error("raw: an attempt was settled twice");
  await q(PAY_INVOICES, [json(opened.map((o) => o.invoice.id)), now]);
  await q(RENEW_SUBSCRIPTIONS, [json(opened.map((o) => ({ id: o.contract.id, period_start: o.invoice.periodStart, period_end: o.invoice.periodEnd }))), now]);
  await q(SCHEDULE_RENEWALS, [
    json(opened.map(({ contract: c, invoice }) => ({ id: newId("act"), merchant_id: c.merchant_id, due_at: invoice.periodEnd, idempotency_key: actionKeys.renewal(c.id, invoice.periodEnd), subscription_id: c.id }))),
  ]);
  await q(INSERT_MAILS, [
    json(
      opened.map(({ contract: c, invoice }) => ({
        id: newId("mail"), merchant_id: c.merchant_id, customer_id: c.customer_id, subscription_id: c.id, invoice_id: invoice.id, to_address: c.email,
        locale: c.locale, variables: receiptVariables(c, invoice.periodEnd, invoice.totals.total), links: { card_update: c.id, receipt: invoice.id },
        idempotency_key: `receipt:${invoice.id}`,
      })),
    ),
    now,
  ]);
  await q(INSERT_AUDITS, [
    json(opened.map(({ contract: c, invoice }) => ({ id: newId("evt"), merchant_id: c.merchant_id, target_id: invoice.id, data: { attempt: 1, amount: invoice.totals.total, currency: c.currency } }))),
    now,
  ]);
  await q(INSERT_EVENTS, [
    json(
      opened.map(({ contract: c, invoice }) => ({
        id: newId("evt"),
        merchant_id: c.merchant_id,
        object: {
          id: invoice.id, object: "invoice", customer: c.customer_id, subscription: c.id, kind: "renewal", status: "paid", currency: c.currency,
          subtotal: invoice.totals.subtotal, tax: invoice.totals.tax, total: invoice.totals.total, period_start: invoice.periodStart, period_end: invoice.periodEnd,
          lines: [{ kind: "plan", description: invoice.description, amount: invoice.totals.total, period_start: invoice.lineStart, period_end: invoice.periodEnd }],
          paid_at: now,
        },
      })),
    ),
    now,
  ]);
}

export type RawRunOptions = { batchSize: number; lanes: number; leaseSeconds: number };

/** Claims and renews until nothing is due, in `lanes` loops like the runner's; returns how many renewals it made. */
export async function runRawBillRun(raw: RawSql, options: RawRunOptions, progress: { done: number }): Promise<number> {
  let renewed = 0;
  const lane = async () => {
    for (;;) {
      const claimedAt = new Date();
      const claimed = await raw.query<ClaimedRow>(CLAIM, [new Date(claimedAt.getTime() + options.leaseSeconds * 1000), claimedAt, options.batchSize]);
      if (claimed.length === 0) return;
      const opened = await raw.transaction((q) => openRenewals(q, claimed, new Date()));
      if (opened.length === 0) continue;
      const chargeIds = await bookCharges(raw, opened);
      await raw.transaction((q) => settleRenewals(q, opened, chargeIds, new Date()));
      renewed += opened.length;
      progress.done = renewed;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.lanes, raw.maxConcurrency) }, lane));
  return renewed;
}
