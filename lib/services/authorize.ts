import type { StaffRole } from "@/lib/auth/roles";
import type { Actor } from "./context";
import { notFound, ServiceError } from "./errors";

/** What a verb asks of its caller. */
export type Permission =
  /** Contract work: sign-ups, cancel, resume, pause, plan changes, retries, extra charges, usage, card updates. */
  | "contracts.operate"
  /** Money back to a customer. */
  | "refunds.issue"
  /** Customers' personal data taken out of the console in bulk (the contracts CSV export). */
  | "contracts.export"
  | "customers.manage"
  | "catalogue.manage"
  | "settings.manage"
  /** The outbox: send a mail again, take an address off the suppression list. */
  | "mails.operate"
  | "test_clocks.operate"
  /** Hosted checkout links: made by those who sign customers up (owner, admin, operator). */
  | "checkout_links.manage"
  /** API secret keys: made and revoked by those who may change settings (owner, admin). */
  | "api_keys.manage"
  /** Staff logins: invite, change a role, remove (owner, admin; only an owner touches owners). */
  | "team.manage"
  /** Outgoing webhook endpoints: their URLs and secrets, and resending events (owner, admin). */
  | "webhooks.manage"
  /** The merchant-wide audit log and its CSV export: who did what (owner, admin). */
  | "audit.read"
  /** 後払い terms: turning it on, screening rules, fees, due and reminder days, the settlement cycle (owner, admin). */
  | "atobarai.manage"
  /** 後払い orders: register, decide 保留, ship, cancel, return, record payments (owner, admin, operator). */
  | "atobarai.operate";

const STAFF: Record<StaffRole, readonly Permission[]> = {
  owner: ["contracts.operate", "contracts.export", "refunds.issue", "customers.manage", "catalogue.manage", "settings.manage", "mails.operate", "test_clocks.operate", "checkout_links.manage", "api_keys.manage", "team.manage", "audit.read", "webhooks.manage", "atobarai.manage", "atobarai.operate"],
  admin: ["contracts.operate", "contracts.export", "refunds.issue", "customers.manage", "catalogue.manage", "settings.manage", "mails.operate", "test_clocks.operate", "checkout_links.manage", "api_keys.manage", "team.manage", "audit.read", "webhooks.manage", "atobarai.manage", "atobarai.operate"],
  operator: ["contracts.operate", "contracts.export", "customers.manage", "mails.operate", "test_clocks.operate", "checkout_links.manage", "atobarai.operate"],
  viewer: [],
};

/** Whether a staff role may do this: the console disables what authorize() would refuse, from this one table. */
export function staffMay(role: StaffRole, permission: Permission): boolean {
  return STAFF[role].includes(permission);
}

/** What an end user may do to their own contract (the merchant's mypage policy narrows it further). */
const CUSTOMER_ON_OWN_CONTRACT: ReadonlySet<Permission> = new Set(["contracts.operate"]);

/**
 * Raises `forbidden` unless the actor may do this. An end user acts only on a contract of their own: another's is
 * `not_found` to them, so that ids cannot be probed. API keys, the system and operators act for the whole merchant.
 */
export function authorize(actor: Actor, permission: Permission, subject?: { customerId: string; what: string; id: string }): void {
  switch (actor.type) {
    case "api_key":
    case "system":
    case "operator":
      return;
    case "staff":
      if (staffMay(actor.role, permission)) return;
      throw new ServiceError("forbidden", `A staff member with the ${actor.role} role cannot do this (${permission})`, { reason: "role" });
    case "customer":
      if (!subject || !CUSTOMER_ON_OWN_CONTRACT.has(permission)) throw new ServiceError("forbidden", "This is not available to customers", { reason: "realm" });
      if (subject.customerId !== actor.id) throw notFound(subject.what, subject.id);
      return;
  }
}
