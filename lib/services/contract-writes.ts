import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bulkUpdate, inList } from "@/db/bulk-write";
import { invoices, subscriptions } from "@/db/schema";
import type { ActionKind } from "@/lib/billing/scheduled-action";
import { groupBy } from "@/lib/group-by";
import { type ContractMail, contractMail } from "@/lib/mail/contract-mail";
import { enqueueMails, type MailToQueue } from "@/lib/mail/enqueue-mail";
import { type AuditEntry, recordAudits } from "./audit";
import type { Contract, SubscriptionRow } from "./contract";
import type { InvoiceRow } from "./invoicing";
import { type ActionCompletion, type ActionToSchedule, cancelPendingActions, completeActions, scheduleActions } from "./scheduling";

export type SubscriptionChanges = Partial<Omit<SubscriptionRow, "id" | "merchantId">>;

type InvoiceChange = { id: string; status: InvoiceRow["status"]; paidAt: Date | null; onlyIfOpen: boolean };
type Cancellation = { subscriptionId: string; kinds?: readonly ActionKind[]; reason: string };

/**
 * What the billing rules decided for the contracts of one transaction, written together at the end: a bill run
 * settles a batch of contracts with a handful of multi-row statements instead of a dozen statements per contract.
 * Changes to a contract are applied to its in-memory row at once, so that later decisions and mail variables
 * see them. flush() writes in an order that keeps each contract's sequence: completed actions, invoices, called-off
 * actions, contracts, newly planned actions (which may revive one just called off), mails, audit events.
 */
export class ContractWrites {
  readonly #contracts = new Map<string, { contract: Contract; columns: Set<string> }>();
  readonly #completions: ActionCompletion[] = [];
  readonly #invoiceChanges: InvoiceChange[] = [];
  readonly #cancellations: Cancellation[] = [];
  readonly #schedules: ActionToSchedule[] = [];
  readonly #mails: MailToQueue[] = [];
  readonly #audits: AuditEntry[] = [];

  updateContract(contract: Contract, changes: SubscriptionChanges): void {
    Object.assign(contract.sub, changes, { updatedAt: contract.now });
    const entry = this.#contracts.get(contract.sub.id) ?? { contract, columns: new Set<string>(["updatedAt"]) };
    for (const column of Object.keys(changes)) entry.columns.add(column);
    this.#contracts.set(contract.sub.id, entry);
  }

  completeAction(completion: ActionCompletion): void {
    this.#completions.push(completion);
  }

  setInvoiceStatus(invoiceId: string, status: InvoiceRow["status"], options: { paidAt?: Date; onlyIfOpen?: boolean } = {}): void {
    this.#invoiceChanges.push({ id: invoiceId, status, paidAt: options.paidAt ?? null, onlyIfOpen: options.onlyIfOpen ?? false });
  }

  cancelActions(subscriptionId: string, kinds: readonly ActionKind[] | undefined, reason: string): void {
    this.#cancellations.push({ subscriptionId, kinds, reason });
  }

  schedule(...actions: ActionToSchedule[]): void {
    this.#schedules.push(...actions);
  }

  /** Queues a mail with the variables as they are now (after the changes made so far). */
  mail(contract: Contract, mail: ContractMail): void {
    const row = contractMail(contract, mail);
    if (row) this.#mails.push(row);
  }

  audit(entry: AuditEntry): void {
    this.#audits.push(entry);
  }

  async flush(tx: Db): Promise<void> {
    await completeActions(tx, this.#completions.splice(0));
    await this.#writeInvoiceChanges(tx, this.#invoiceChanges.splice(0));
    for (const group of groupBy(this.#cancellations.splice(0), (c) => `${c.reason}\u0000${c.kinds?.join(",") ?? "*"}`)) {
      await cancelPendingActions(tx, [...new Set(group.map((c) => c.subscriptionId))], group[0]!.kinds, group[0]!.reason);
    }
    await this.#writeContracts(tx);
    await scheduleActions(tx, this.#schedules.splice(0));
    await enqueueMails(tx, this.#mails.splice(0));
    await recordAudits(tx, this.#audits.splice(0));
  }

  async #writeInvoiceChanges(tx: Db, changes: InvoiceChange[]): Promise<void> {
    for (const group of groupBy(changes, (c) => `${c.status}\u0000${c.paidAt?.toISOString() ?? ""}\u0000${c.onlyIfOpen}`)) {
      const { status, paidAt, onlyIfOpen } = group[0]!;
      const ids = group.map((c) => c.id);
      await tx
        .update(invoices)
        .set(paidAt ? { status, paidAt } : { status })
        .where(and(inList(invoices.id, ids), onlyIfOpen ? eq(invoices.status, "open") : undefined));
    }
  }

  /** Each contract's changed columns from its in-memory row; contracts that changed the same columns share a statement. */
  async #writeContracts(tx: Db): Promise<void> {
    const entries = [...this.#contracts.values()];
    this.#contracts.clear();
    for (const group of groupBy(entries, (e) => [...e.columns].sort().join(","))) {
      await bulkUpdate(tx, subscriptions, group.map((e) => e.contract.sub), { key: "id", columns: [...group[0]!.columns].sort() });
    }
  }
}
