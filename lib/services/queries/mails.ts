import { and, eq } from "drizzle-orm";
import { mails } from "@/db/schema";
import type { MailTemplate } from "@/lib/billing/mail-template";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { type PageRequest, pageConditions, toPage } from "./page";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

export async function getMail(ctx: ReadContext, id: string) {
  const [row] = await ctx.db.select().from(mails).where(and(eq(mails.id, id), eq(mails.merchantId, ctx.merchantId)));
  if (!row) throw notFound("mail", id, "id");
  return row;
}

export async function listMails(
  ctx: ReadContext,
  request: PageRequest & { customerId?: string | null; subscriptionId?: string | null; template?: MailTemplate | null },
) {
  const page = pageConditions(mails.id, request);
  const rows = await ctx.db
    .select()
    .from(mails)
    .where(
      and(
        eq(mails.merchantId, ctx.merchantId),
        request.customerId ? eq(mails.customerId, request.customerId) : undefined,
        request.subscriptionId ? eq(mails.subscriptionId, request.subscriptionId) : undefined,
        request.template ? eq(mails.template, request.template) : undefined,
        page.cursor,
      ),
    )
    .orderBy(page.order)
    .limit(page.take);
  return toPage(rows, request);
}
