import { signLinkToken } from "@/lib/auth/signed-link";
import { formatLocalDate, localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import { addCycles } from "@/lib/billing/cycle";
import { formatMoney } from "@/lib/billing/money";
import { INTERVAL_LABELS_JA, type BillingInterval, type TaxBehavior } from "@/lib/billing/plan";
import { actionKeys } from "@/lib/billing/scheduled-action";
import { invoiceTotals } from "@/lib/billing/tax";
import { baseUrl } from "@/lib/env";
import { newId } from "@/lib/ids";
import type { RawQuery, RawSql } from "./database";

/**
 * The bill run written by hand: per renewal the same two transactions, row locks and row writes as
 * runDueAction → settleCharge (and the sandbox's ledger insert between them), in plain prepared SQL. Service
 * rate / this rate is what the ORM and the service layering cost.
 *
 * Rows written per renewal, as by the services: invoice, invoice line, invoice.attempt_count, payment attempt,
 * sandbox charge, then action completed, attempt settled, invoice paid, subscription renewed, next renewal
 * action, receipt mail, audit event; locks: contract and action, then contract again. That is 15 statements and
 * 19 round trips (with BEGIN/COMMIT), against the services' 21 and 25: the reads they make for generality and
 * crash recovery are left out here (the action read before its transaction, the look-ups of an invoice already
 * issued and of an attempt in flight, the payment method — joined into the lock here — the sandbox card's
 * behaviour, the invoice lock, and the second contract lock reads the subscription row only). This is the ceiling.
 */

const CLAIM = `
  update scheduled_actions set lease_until = $1, run_count = run_count + 1
  where id in (
    select id from scheduled_actions
    where status = 'pending' and test_clock_id is null and due_at <= $2 and (lease_until is null or lease_until < $2)
    order by due_at limit $3
    for update skip locked)
  returning id, subscription_id`;

const LOCK_CONTRACT = `
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
  where s.id = $1
  for update of s`;

const LOCK_ACTION = `select status from scheduled_actions where id = $1 for update`;

const INSERT_INVOICE = `
  insert into invoices (id, merchant_id, subscription_id, customer_id, kind, status, currency, subtotal, tax, total,
                        period_start, period_end, billing_key, issued_at)
  values ($1, $2, $3, $4, 'renewal', 'open', $5, $6, $7, $8, $9, $10, $11, $12)
  on conflict (merchant_id, billing_key) do nothing
  returning id`;

const INSERT_LINE = `
  insert into invoice_lines (id, merchant_id, invoice_id, position, kind, description, amount, quantity, period_start, period_end)
  values ($1, $2, $3, 0, 'period', $4, $5, 1, $6, $7)`;

const COUNT_ATTEMPT = `update invoices set attempt_count = $2 where id = $1`;

const INSERT_ATTEMPT = `
  insert into payment_attempts (id, merchant_id, invoice_id, attempt_number, idempotency_key, payment_method_id,
                                amount, currency, status, trigger, action_id, attempted_at)
  values ($1, $2, $3, 1, $4, $5, $6, $7, 'pending', 'scheduled', $8, $9)`;

const INSERT_CHARGE = `
  insert into sandbox_charges (id, idempotency_key, card_ref, amount, currency, outcome)
  values ($1, $2, $3, $4, $5, 'succeeded')
  on conflict (idempotency_key) do nothing
  returning id`;

const LOCK_SUBSCRIPTION = `select id from subscriptions where id = $1 for update`;

const COMPLETE_ACTION = `
  update scheduled_actions set status = 'done', outcome = 'paid', completed_at = $2, lease_until = null, last_error = null
  where id = $1`;

const SETTLE_ATTEMPT = `
  update payment_attempts set status = 'succeeded', failure_code = null, gateway_charge_id = $2, completed_at = $3
  where id = $1 and status = 'pending'
  returning id`;

const PAY_INVOICE = `update invoices set status = 'paid', paid_at = $2 where id = $1`;

const RENEW_SUBSCRIPTION = `
  update subscriptions set last_payment_at = $2, status = 'active', current_period_start = $3, paid_through = $4, updated_at = $2
  where id = $1`;

const SCHEDULE_RENEWAL = `
  insert into scheduled_actions (id, merchant_id, kind, due_at, idempotency_key, subscription_id, payload)
  values ($1, $2, 'renewal', $3, $4, $5, '{}'::jsonb)
  on conflict (merchant_id, idempotency_key) do update
    set status = 'pending', due_at = excluded.due_at, lease_until = null, completed_at = null, outcome = null
    where scheduled_actions.status = 'canceled'`;

const INSERT_MAIL = `
  insert into mails (id, merchant_id, customer_id, subscription_id, invoice_id, template, to_address, locale, variables,
                     idempotency_key, queued_at)
  values ($1, $2, $3, $4, $5, 'charge_succeeded', $6, $7, $8::jsonb, $9, $10)
  on conflict (merchant_id, idempotency_key) do nothing`;

const INSERT_AUDIT = `
  insert into audit_events (id, merchant_id, actor_type, actor_id, action, target_type, target_id, data, occurred_at)
  values ($1, $2, 'system', null, 'invoice.paid', 'invoice', $3, $4::jsonb, $5)`;

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
  locale: string;
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

/** Transaction 1: lock contract and action, issue the invoice, open the attempt. */
async function openRenewal(q: RawQuery, action: ClaimedRow, now: Date): Promise<Opened | null> {
  const [contract] = await q<ContractRow>(LOCK_CONTRACT, [action.subscription_id]);
  const [locked] = await q<{ status: string }>(LOCK_ACTION, [action.id]);
  if (!contract || locked?.status !== "pending" || contract.status !== "active") return null;
  const invoice = renewalInvoice(contract);
  const { totals } = invoice;
  const [created] = await q(INSERT_INVOICE, [
    invoice.id, contract.merchant_id, contract.id, contract.customer_id, contract.currency, totals.subtotal, totals.tax, totals.total,
    invoice.periodStart, invoice.periodEnd, invoice.billingKey, now,
  ]);
  if (!created) return null;
  await q(INSERT_LINE, [newId("il"), contract.merchant_id, invoice.id, invoice.description, Number(contract.amount), invoice.lineStart, invoice.periodEnd]);
  await q(COUNT_ATTEMPT, [invoice.id, 1]);
  const attemptId = newId("pa");
  const idempotencyKey = `${invoice.id}:1`;
  await q(INSERT_ATTEMPT, [attemptId, contract.merchant_id, invoice.id, idempotencyKey, contract.payment_method_id, totals.total, contract.currency, action.id, now]);
  return { actionId: action.id, contract, invoice, attemptId, idempotencyKey };
}

function receiptVariables(c: ContractRow, paidThrough: Date, total: number, now: Date): string {
  const cardToken = signLinkToken("card_update", c.id, new Date(now.getTime() + 30 * 86_400_000));
  return JSON.stringify({
    name: c.customer_name,
    plan: c.plan_name ?? c.product_name,
    product: c.product_name,
    amount: formatMoney({ amount: total, currency: c.currency }),
    paid_through: formatLocalDate(paidThrough, c.time_zone),
    trial_end: "",
    mypage_url: `${baseUrl()}/mypage`,
    card_update_url: `${baseUrl()}/mypage/card?token=${cardToken}`,
    merchant: c.merchant_name,
    footer: c.merchant_name,
  });
}

/** Transaction 2: the gateway said yes; the action, attempt, invoice and contract move on, mail and audit follow. */
async function settleRenewal(q: RawQuery, opened: Opened, chargeId: string, now: Date): Promise<void> {
  const { contract: c, invoice, attemptId } = opened;
  const total = invoice.totals.total;
  await q(LOCK_SUBSCRIPTION, [c.id]);
  await q(COMPLETE_ACTION, [opened.actionId, now]);
  const [settled] = await q(SETTLE_ATTEMPT, [attemptId, chargeId, now]);
  if (!settled) throw new Error(`raw: attempt ${attemptId} was settled twice`);
  await q(PAY_INVOICE, [invoice.id, now]);
  await q(RENEW_SUBSCRIPTION, [c.id, now, invoice.periodStart, invoice.periodEnd]);
  await q(SCHEDULE_RENEWAL, [newId("act"), c.merchant_id, invoice.periodEnd, actionKeys.renewal(c.id, invoice.periodEnd), c.id]);
  await q(INSERT_MAIL, [
    newId("mail"), c.merchant_id, c.customer_id, c.id, invoice.id, c.email, c.locale, receiptVariables(c, invoice.periodEnd, total, now),
    `receipt:${invoice.id}`, now,
  ]);
  await q(INSERT_AUDIT, [newId("evt"), c.merchant_id, invoice.id, JSON.stringify({ attempt: 1, amount: total, currency: c.currency }), now]);
}

export type RawRunOptions = { batchSize: number; concurrency: number; leaseSeconds: number };

/** Claims and renews until nothing is due, like runDueBatch in a loop; returns how many renewals it made. */
export async function runRawBillRun(raw: RawSql, options: RawRunOptions, progress: { done: number }): Promise<number> {
  let renewed = 0;
  const concurrency = Math.min(options.concurrency, raw.maxConcurrency);
  for (;;) {
    const now = new Date();
    const claimed = await raw.query<ClaimedRow>(CLAIM, [new Date(now.getTime() + options.leaseSeconds * 1000), now, options.batchSize]);
    if (claimed.length === 0) return renewed;
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        if (await renewRaw(raw, claimed[next++]!)) renewed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    progress.done = renewed;
  }
}

async function renewRaw(raw: RawSql, action: ClaimedRow): Promise<boolean> {
  const opened = await raw.transaction((q) => openRenewal(q, action, new Date()));
  if (!opened) return false;
  const { contract: c, invoice } = opened;
  const [charge] = await raw.query<{ id: string }>(INSERT_CHARGE, [newId("ch"), opened.idempotencyKey, c.gateway_ref, invoice.totals.total, c.currency.toUpperCase()]);
  if (!charge) throw new Error(`raw: charge ${opened.idempotencyKey} already existed`);
  await raw.transaction((q) => settleRenewal(q, opened, charge.id, new Date()));
  return true;
}
