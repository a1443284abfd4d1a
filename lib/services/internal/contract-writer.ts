import { sql } from "drizzle-orm";
import { bulkUpdate, inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { invoices, subscriptions } from "@/db/schema";
import type { Effects } from "@/lib/billing/effects";
import { groupBy } from "@/lib/group-by";
import { contractMail } from "@/lib/mail/contract-mail";
import { enqueueMails, type MailToQueue } from "@/lib/mail/enqueue-mail";
import type { MailLinks } from "@/lib/mail/links";
import type { Actor } from "../context";
import { type AuditEntry, recordAudits } from "./audit";
import type { Contract } from "./contract";
import { type ActionCompletion, type ActionToPlan, type CallOff, writeSchedule } from "./scheduled-actions";

type InvoiceChange = { invoiceId: string; status: "void" | "uncollectible" };

/**
 * The one writer: every verb and the runner hand it the effects the billing rules decided on, and it writes them.
 * Changes to a contract are applied to its in-memory row at once, so later decisions and mail variables see them;
 * everything is written at flush, a table at a time (a bill run settles a batch of contracts with a handful of
 * multi-row statements). Calling off a contract's actions also drops what was planned for it earlier in the same
 * writer, so effects apply in the order given.
 */
export class ContractWriter {
  readonly #contracts = new Map<string, { contract: Contract; columns: Set<string> }>();
  readonly #completions: ActionCompletion[] = [];
  readonly #invoiceChanges: InvoiceChange[] = [];
  readonly #callOffs: CallOff[] = [];
  readonly #plans: ActionToPlan[] = [];
  // Each mail's variables are read when its effects are applied; its links are signed when it is sent.
  readonly #mails: MailToQueue[] = [];
  readonly #audits: AuditEntry[] = [];

  constructor(private readonly ctx: { actor: Actor; links: MailLinks }) {}

  /** Applies a decision's effects to a contract (see lib/billing/effects.ts). */
  apply(contract: Contract, effects: Effects): void {
    const { sub } = contract;
    if (Object.keys(effects.changes).length > 0) {
      Object.assign(sub, effects.changes, { updatedAt: contract.now });
      const entry = this.#contracts.get(sub.id) ?? { contract, columns: new Set<string>(["updatedAt"]) };
      for (const column of Object.keys(effects.changes)) entry.columns.add(column);
      this.#contracts.set(sub.id, entry);
    }
    for (const callOff of effects.callOff) {
      this.#callOffs.push({ subscriptionId: sub.id, ...callOff });
      for (let i = this.#plans.length - 1; i >= 0; i--) {
        const planned = this.#plans[i]!;
        const manual = planned.payload?.manual === true;
        const ofInvoice = !callOff.invoiceId || planned.invoiceId === callOff.invoiceId;
        if (planned.subscriptionId === sub.id && callOff.kinds.includes(planned.kind) && ofInvoice && !(manual && callOff.keepManualRetries)) this.#plans.splice(i, 1);
      }
    }
    for (const planned of effects.plan) {
      this.#plans.push({ ...planned, merchantId: sub.merchantId, subscriptionId: sub.id, testClockId: sub.testClockId, invoiceId: planned.invoiceId ?? null });
    }
    for (const change of effects.invoices) this.#invoiceChanges.push({ invoiceId: change.invoiceId, status: change.status });
    for (const mail of effects.mails) this.#mails.push(contractMail(contract, mail, this.ctx.links));
    for (const audit of effects.audit) {
      this.#audits.push({
        merchantId: sub.merchantId,
        actor: this.ctx.actor,
        action: audit.action,
        targetType: audit.target?.type ?? "subscription",
        targetId: audit.target?.id ?? sub.id,
        data: audit.target ? { subscription: sub.id, ...audit.data } : audit.data,
        at: contract.now,
      });
    }
  }

  completeAction(completion: ActionCompletion): void {
    this.#completions.push(completion);
  }

  /** Plans actions that belong to no contract's course (a card's expiry notice). */
  planActions(...actions: ActionToPlan[]): void {
    this.#plans.push(...actions);
  }

  audit(entry: Omit<AuditEntry, "actor">): void {
    this.#audits.push({ ...entry, actor: this.ctx.actor });
  }

  /**
   * Writes everything, in this order. The schedule first, in one go (completed, called-off, then planned actions, so
   * that a plan may revive an action with the same key; the scheduled-actions module then sets each touched
   * contract's next action). Contract columns go before invoice status changes, because writing off an invoice gives
   * its applied credit back to the contract in SQL.
   */
  async flush(tx: Db): Promise<void> {
    for (const step of WRITE_ORDER) await this.#write[step](tx);
  }

  readonly #write: Record<(typeof WRITE_ORDER)[number], (tx: Db) => Promise<void>> = {
    schedule: async (tx) => {
      // The contracts this writer writes anyway carry their new next action in the same update (see writeSchedule).
      const rows = new Map([...this.#contracts].map(([id, entry]) => [id, entry.contract.sub]));
      const changed = await writeSchedule(tx, { completions: this.#completions.splice(0), callOffs: this.#callOffs.splice(0), plans: this.#plans.splice(0) }, rows);
      for (const id of changed) {
        const entry = this.#contracts.get(id)!;
        entry.columns.add("nextActionKind");
        entry.columns.add("nextActionAt");
      }
    },
    contracts: (tx) => this.#writeContracts(tx),
    invoiceStatuses: (tx) => writeOffInvoices(tx, this.#invoiceChanges.splice(0)),
    mails: (tx) => enqueueMails(tx, this.#mails.splice(0)),
    audit: (tx) => recordAudits(tx, this.#audits.splice(0)),
  };

  /** Each contract's changed columns from its in-memory row; contracts that changed the same columns share a statement. */
  async #writeContracts(tx: Db): Promise<void> {
    const entries = [...this.#contracts.values()];
    this.#contracts.clear();
    for (const group of groupBy(entries, (e) => [...e.columns].sort().join(","))) {
      await bulkUpdate(tx, subscriptions, group.map((e) => e.contract.sub), { key: "id", columns: [...group[0]!.columns].sort() });
    }
  }
}

const WRITE_ORDER = ["schedule", "contracts", "invoiceStatuses", "mails", "audit"] as const;

/**
 * Open invoices that will never be paid: void (a side charge declined, a debt collected another way) or
 * uncollectible (written off). Only an open invoice moves, once; the credit it had taken goes back to its contract.
 */
async function writeOffInvoices(tx: Db, changes: readonly InvoiceChange[]): Promise<void> {
  for (const group of groupBy(changes, (c) => c.status)) {
    const ids = [...new Set(group.map((c) => c.invoiceId))];
    await tx.execute(sql`
      with moved as (
        update ${invoices} set status = ${group[0]!.status}
        where ${inList(invoices.id, ids)} and ${invoices.status} = 'open'
        returning ${invoices.subscriptionId} as subscription_id, ${invoices.creditApplied} as credit_applied
      ), returned as (
        select subscription_id, sum(credit_applied) as credit from moved where credit_applied > 0 group by subscription_id
      )
      update ${subscriptions} set credit_balance = ${subscriptions.creditBalance} + returned.credit from returned where ${subscriptions.id} = returned.subscription_id`);
  }
}
