import type { Database } from "@/db/client";

export type BillRunCheck = { ok: boolean; figures: Record<string, number>; failures: string[] };

/**
 * What a bill run must leave behind for one merchant's N contracts: one paid renewal invoice each, one gateway
 * charge per paid invoice and no other, nothing in flight, and each contract renewed with its next renewal
 * planned and a receipt queued.
 */
export async function checkBillRun(database: Database, merchantId: string, count: number, dueAt: Date): Promise<BillRunCheck> {
  const [row] = await database.query<Record<string, string>>(
    `select
       (select count(*) from invoices where merchant_id = $1 and kind = 'renewal') as renewal_invoices,
       (select count(*) from invoices where merchant_id = $1 and kind = 'renewal' and status = 'paid') as paid_invoices,
       (select count(*) from (select subscription_id from invoices where merchant_id = $1 and kind = 'renewal' and status = 'paid'
                              group by subscription_id having count(*) = 1) once) as contracts_paid_once,
       (select count(*) from sandbox_charges c join payment_attempts a on a.idempotency_key = c.idempotency_key
         where a.merchant_id = $1) as sandbox_charges,
       (select count(*) from sandbox_charges c join payment_attempts a on a.idempotency_key = c.idempotency_key
         join invoices i on i.id = a.invoice_id where a.merchant_id = $1 and c.outcome = 'succeeded' and i.status = 'paid') as charges_of_paid_invoices,
       (select count(*) from payment_attempts where merchant_id = $1 and status = 'pending') as pending_attempts,
       (select count(*) from scheduled_actions where merchant_id = $1 and status = 'pending' and due_at <= $2) as due_actions_left,
       (select count(distinct subscription_id) from scheduled_actions where merchant_id = $1 and kind = 'renewal' and status = 'pending' and due_at > $2) as next_renewals,
       (select count(*) from mails where merchant_id = $1 and template = 'charge_succeeded') as receipts,
       (select count(*) from subscriptions where merchant_id = $1 and status = 'active' and paid_through > $2) as renewed_contracts`,
    [merchantId, dueAt],
  );
  const figures = Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
  const expected: Record<string, number> = {
    renewal_invoices: count,
    paid_invoices: count,
    contracts_paid_once: count,
    sandbox_charges: count,
    charges_of_paid_invoices: count,
    pending_attempts: 0,
    due_actions_left: 0,
    next_renewals: count,
    receipts: count,
    renewed_contracts: count,
  };
  const failures = Object.entries(expected)
    .filter(([k, v]) => figures[k] !== v)
    .map(([k, v]) => `${k}: expected ${v}, got ${figures[k]}`);
  return { ok: failures.length === 0, figures, failures };
}

/** Across the whole scratch database: the sandbox's ledger and our paid invoices agree one to one. */
export async function checkLedger(database: Database): Promise<BillRunCheck> {
  const [row] = await database.query<Record<string, string>>(
    `select (select count(*) from sandbox_charges) as sandbox_charges,
            (select count(*) from invoices where status = 'paid') as paid_invoices`,
  );
  const figures = { sandbox_charges: Number(row?.sandbox_charges), paid_invoices: Number(row?.paid_invoices) };
  const ok = figures.sandbox_charges === figures.paid_invoices;
  return { ok, figures, failures: ok ? [] : [`sandbox_charges ${figures.sandbox_charges} ≠ paid_invoices ${figures.paid_invoices}`] };
}
