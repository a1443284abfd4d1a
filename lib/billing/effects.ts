import type { ContractState } from "./contract";
import type { MailTemplate } from "./mail-template";
import type { Money } from "./money";
import type { ActionKind, ActionPayload, CancelReason } from "./scheduled-action";

/** A future effect of the contract to plan (a scheduled_actions row; its key makes planning it idempotent). */
export type PlannedAction = { kind: ActionKind; dueAt: Date; key: string; invoiceId?: string | null; payload?: ActionPayload };

/** Pending actions of these kinds are called off (only those of one invoice, when named); manual retries may be kept. */
export type CallOff = { kinds: readonly ActionKind[]; reason: CancelReason; keepManualRetries?: boolean; invoiceId?: string };

export type InvoiceStatusChange = { invoiceId: string; status: "void" | "uncollectible"; onlyIfOpen?: boolean };

/** A mail to the contract's customer; `variables` add to (or replace) the contract's own. */
export type MailDecision = { template: MailTemplate; key: string; invoiceId?: string | null; amount?: Money; variables?: Record<string, string> };

/** A line of the audit log, about the contract unless another target is named. */
export type AuditDecision = { action: string; data?: Record<string, unknown>; target?: { type: "invoice" | "payment_method"; id: string } };

/**
 * What a decision does to one contract, as data: the one writer applies it (lib/services/contract-writer.ts). Calls
 * off happen before plans, so a plan may bring back an action with the same key that was just called off.
 */
export type Effects = {
  changes: Partial<ContractState>;
  callOff: CallOff[];
  plan: PlannedAction[];
  invoices: InvoiceStatusChange[];
  mails: MailDecision[];
  audit: AuditDecision[];
};

export function effects(parts: Partial<Effects> = {}): Effects {
  return { changes: {}, callOff: [], plan: [], invoices: [], mails: [], audit: [], ...parts };
}

/** Effects one after the other: later changes win, lists are joined in order. */
export function combine(...all: Effects[]): Effects {
  return all.reduce(
    (a, b) =>
      effects({
        changes: { ...a.changes, ...b.changes },
        callOff: [...a.callOff, ...b.callOff],
        plan: [...a.plan, ...b.plan],
        invoices: [...a.invoices, ...b.invoices],
        mails: [...a.mails, ...b.mails],
        audit: [...a.audit, ...b.audit],
      }),
    effects(),
  );
}

/** A decision's "no": the verb raises it as a ServiceError (conflict or invalid) and writes nothing. */
export type Refusal = { refused: { code: "conflict" | "invalid"; reason: string; message: string; param?: string } };

export const refuse = (code: Refusal["refused"]["code"], reason: string, message: string, param?: string): Refusal => ({ refused: { code, reason, message, param } });

export function isRefusal(value: object): value is Refusal {
  return "refused" in value;
}
