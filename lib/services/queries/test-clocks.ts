import { and, eq } from "drizzle-orm";
import { testClocks } from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export async function getTestClock(ctx: ReadContext, id: string) {
  const [row] = await ctx.db.select().from(testClocks).where(and(eq(testClocks.id, id), eq(testClocks.merchantId, ctx.merchantId), eq(testClocks.deleted, false)));
  if (!row) throw notFound("test clock", id, "id");
  return row;
}

export async function listTestClocks(ctx: ReadContext, request: PageRequest) {
  const page = pageConditions(testClocks.id, request);
  const rows = await ctx.db
    .select()
    .from(testClocks)
    .where(and(eq(testClocks.merchantId, ctx.merchantId), eq(testClocks.deleted, false), page.cursor))
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}
