import { sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";

/** What drizzle's prepared queries and sessions hold on both drivers: the client they send statements to. */
type BoundToClient = { client?: unknown };

/**
 * A hot query built once and run on any database or transaction. drizzle binds a prepared query to the session it
 * was built on, so a query inside transactions is otherwise rebuilt on every call: SQL text, selection and result
 * mapping cost about 0.3 ms for lockContract's six-table select on this machine, and building queries was a quarter
 * of a bill-run renewal's CPU in Node. `build` makes the query with `sql.placeholder()` for its values and calls
 * `.prepare(name)`; each call here returns that prepared query pointed at the given database's or transaction's own
 * client, so its statements run in that transaction. drizzle has no public way to do this yet (drizzle-orm#2826);
 * the check below makes a drizzle upgrade that moves the client fail loudly instead of running a statement outside
 * its transaction.
 *
 * drizzle encodes a placeholder's value with the column's encoder and no null check, so a placeholder for a
 * timestamp or jsonb column must never get null (write such a value inline, or keep that query unprepared).
 */
export function reusableQuery<Q extends object>(build: (db: Db) => Q): (db: Db) => Q {
  const byDriver = new Map<unknown, Q>();
  return (db) => {
    const session = db._.session as unknown as BoundToClient;
    let template = byDriver.get(session.constructor);
    if (!template) {
      template = build(db);
      if ((template as BoundToClient).client !== session.client || !session.client) {
        throw new Error("reusableQuery: this drizzle version keeps a prepared query's client elsewhere; update db/reusable-query.ts");
      }
      byDriver.set(session.constructor, template);
    }
    return Object.create(template, { client: { value: session.client } }) as Q;
  };
}

/**
 * A placeholder whose value reaches the driver as given, not through the column's encoder: for a value that may be
 * null where the encoder cannot take null (timestamps, jsonb). Pass what the encoder would produce — a timestamp's
 * `toISOString()` — or null.
 */
export function unencodedPlaceholder(name: string): SQL {
  return sql`${sql.placeholder(name)}`;
}
