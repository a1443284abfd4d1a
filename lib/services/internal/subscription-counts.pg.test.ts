import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/bulk-write";
import type { Database } from "@/db/client";
import { seedConsoleContracts } from "@/scripts/bench/console-seed";
import { openTestDatabase } from "@/test/support/database";

/**
 * subscription_counts under concurrent writers (PostgreSQL pass only): transactions that change statuses of one
 * merchant's contracts side by side never wait on each other for the counts (they append, and fold only with a lock
 * they can take at once), whatever order they commit or roll back in, and the counts end up right.
 */
let database: Database;
let clients: postgres.Sql[];

beforeAll(async () => {
  database = await openTestDatabase();
  clients = Array.from({ length: 4 }, () => postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} }));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
  await database?.close();
});

const counted = async (merchantId: string) =>
  rowsOf<{ status: string; n: string }>(
    await database.db.execute(sql`
      select status, sum(n)::text as n from (
        select status, count as n from subscription_counts where merchant_id = ${merchantId}
        union all select status, delta from subscription_count_changes where merchant_id = ${merchantId}
      ) c group by 1 having sum(n) <> 0 order by 1`),
  );
const actual = async (merchantId: string) =>
  rowsOf<{ status: string; n: string }>(await database.db.execute(sql`select status, count(*)::text as n from subscriptions where merchant_id = ${merchantId} group by 1 order by 1`));

describe("subscription_counts with concurrent writers", () => {
  it("interleaved transactions, one rolled back, leave the counts equal to the rows, without waiting on each other", async () => {
    const { merchantId } = await seedConsoleContracts(database.db, 400, { now: new Date("2027-01-15T03:00:00Z"), chunk: 200 });
    const ids = rowsOf<{ id: string }>(await database.db.execute(sql`select id from subscriptions where merchant_id = ${merchantId} and status = 'active' order by id limit 80`)).map((r) => r.id);
    const slice = (i: number) => ids.slice(i * 20, i * 20 + 20);
    // Four open transactions at once, each moving its own contracts between statuses in two statements (in opposite
    // orders, which would deadlock on a single counter row per status).
    const open = clients.map(async (client, i) => {
      const reserved = await client.reserve();
      await reserved`begin`;
      await reserved`set local lock_timeout = '2s'`;
      const [first, second] = i % 2 === 0 ? ["past_due", "unpaid"] : ["unpaid", "past_due"];
      await reserved`update subscriptions set status = ${first} where id = any(${slice(i).slice(0, 10)})`;
      await reserved`update subscriptions set status = ${second} where id = any(${slice(i).slice(10)})`;
      return reserved;
    });
    const transactions = await Promise.all(open);
    // Commit in a scrambled order; roll the third back.
    for (const i of [2, 0, 3, 1]) {
      await transactions[i]!.unsafe(i === 2 ? "rollback" : "commit");
      transactions[i]!.release();
    }
    expect(await counted(merchantId)).toEqual(await actual(merchantId));
    // A later statement folds what the others appended.
    await database.db.execute(sql`update subscriptions set status = 'canceled' where id = ${ids[79]!}`);
    expect(await counted(merchantId)).toEqual(await actual(merchantId));
    const left = rowsOf<{ n: string }>(await database.db.execute(sql`select count(*)::text as n from subscription_count_changes where merchant_id = ${merchantId}`));
    expect(Number(left[0]!.n)).toBe(0);
  });
});
