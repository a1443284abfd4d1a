import type { Db } from "@/db/client";
import type { PaymentGateway } from "@/lib/gateways/payment-gateway";

export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };
export const fixedClock = (at: Date): Clock => ({ now: () => new Date(at.getTime()) });

export type Actor = { type: "staff" | "api_key" | "system" | "customer" | "operator"; id: string | null };
export const SYSTEM_ACTOR: Actor = { type: "system", id: null };

/** What every service verb gets: where the data is, what time it is, who acts, for which merchant. */
export type ServiceContext = {
  db: Db;
  clock: Clock;
  gateway: PaymentGateway;
  actor: Actor;
  merchantId: string;
};
