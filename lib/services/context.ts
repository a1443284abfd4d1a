import type { Db } from "@/db/client";
import type { StaffRole } from "@/lib/auth/roles";
import type { SecretBox } from "@/lib/crypto/secret-box";
import type { Gateways } from "@/lib/gateways/gateways";
import type { MailLinks } from "@/lib/mail/links";
import type { Mailer } from "@/lib/mail/mailer";

export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };
export const fixedClock = (at: Date): Clock => ({ now: () => new Date(at.getTime()) });

/** Who calls a service: each realm has its own kind, and the services decide what each may do (authorize.ts). */
export type Actor =
  | { type: "staff"; id: string; role: StaffRole }
  | { type: "api_key"; id: string }
  /** An end user on the mypage or a signed link: only their own contracts. */
  | { type: "customer"; id: string }
  /** The runner, Inngest functions, the demo seed. */
  | { type: "system"; id: string | null }
  /** Someone at the server's own console (the CLI), and tests. */
  | { type: "operator"; id: string | null };
export const SYSTEM_ACTOR: Actor = { type: "system", id: null };

/** What does not change from call to call: where data is, what time it is, the gateways, mail delivery and links. */
export type Platform = {
  db: Db;
  clock: Clock;
  gateways: Gateways;
  mailer: Mailer;
  links: MailLinks;
  /** Seals and opens secrets kept in the database (merchants' Stripe keys). */
  secrets: SecretBox;
};

/** What every service verb gets: the platform, who acts, and for which merchant. Built by a realm's factory (contexts.ts). */
export type ServiceContext = Platform & {
  actor: Actor;
  merchantId: string;
};
