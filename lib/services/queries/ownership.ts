import { and, eq } from "drizzle-orm";
import { bulkJobs, customers, gatewayEvents, mails, subscriptions, testClocks } from "@/db/schema";
import type { ServiceContext } from "../context";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

const TABLES = { subscription: subscriptions, customer: customers, bulk_job: bulkJobs, mail: mails, test_clock: testClocks, gateway_event: gatewayEvents } as const;

/**
 * Whether this merchant has the row: a detail page asks before it starts streaming, so that an id that is not the
 * visitor's answers a real 404 (a not-found raised under a loading boundary can only say so in the page, with 200).
 */
export async function merchantOwns(ctx: ReadContext, kind: keyof typeof TABLES, id: string): Promise<boolean> {
  const table = TABLES[kind];
  const [row] = await ctx.db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.id, id), eq(table.merchantId, ctx.merchantId)))
    .limit(1);
  return Boolean(row);
}
