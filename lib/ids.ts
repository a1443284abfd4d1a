import { v7 as uuidv7 } from "uuid";

export type IdPrefix =
  | "mer" | "usr" | "key" | "prod" | "plan" | "cus" | "pm" | "sub" | "in" | "il" | "pa" | "act" | "mail" | "evt" | "ur" | "clock" | "tok" | "card" | "ch" | "re";

/** Prefixed, time-ordered ids ("sub_0190…"), so that newest-first listing is an index scan on the key. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${uuidv7().replace(/-/g, "")}`;
}
