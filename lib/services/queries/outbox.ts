import { and, asc, count, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { customers, mailEvents, mails, mailSuppressions, merchants } from "@/db/schema";
import { parseLocalDate, startOfLocalDay } from "@/lib/billing/calendar";
import { withSecretLinksHidden } from "@/lib/mail/secret-links";
import type { ServiceContext } from "../context";
import { notFound, parseInput } from "../errors";
import { outboxSearch } from "./outbox-search";
import { matchesEveryTerm, searchTerms } from "./text-match";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;
type MailRow = typeof mails.$inferSelect;

export type OutboxRow = Pick<MailRow, "id" | "template" | "toAddress" | "subject" | "status" | "statusReason" | "deliveryStatus" | "queuedAt" | "sentAt" | "testClockId" | "subscriptionId" | "customerId" | "resendOf" | "attachments"> & {
  /** A test mail from the mail settings (its key is test_send:…), not a customer's. */
  testSend: boolean;
};
export type OutboxList = { rows: OutboxRow[]; total: number; page: number; perPage: number; pageCount: number };

/** One page of the merchant's outbox matching the search, newest first, with the total, read in one transaction. */
export async function searchOutbox(ctx: ReadContext, input: z.input<typeof outboxSearch>): Promise<OutboxList> {
  const search = parseInput(outboxSearch, input);
  return ctx.db.transaction(async (tx) => {
    const conditions: (SQL | undefined)[] = [
      eq(mails.merchantId, ctx.merchantId),
      matchesEveryTerm(searchTerms(search.q), [mails.toAddress]),
      search.template ? eq(mails.template, search.template) : undefined,
      search.status ? eq(mails.status, search.status) : undefined,
      search.subscriptionId ? eq(mails.subscriptionId, search.subscriptionId.trim()) : undefined,
    ];
    if (search.from || search.to) {
      const [merchant] = await tx.select({ timeZone: merchants.timeZone }).from(merchants).where(eq(merchants.id, ctx.merchantId));
      const timeZone = merchant?.timeZone ?? "Asia/Tokyo";
      if (search.from) conditions.push(gte(mails.queuedAt, startOfLocalDay(parseLocalDate(search.from), timeZone)));
      if (search.to) conditions.push(lt(mails.queuedAt, startOfLocalDay(parseLocalDate(search.to).add({ days: 1 }), timeZone)));
    }
    const where = and(...conditions);
    const [counted] = await tx.select({ n: count() }).from(mails).where(where);
    const total = counted?.n ?? 0;
    // Ids are time-ordered: newest written first, along the (merchant_id, id) index.
    const rows = await tx
      .select({
        id: mails.id,
        template: mails.template,
        toAddress: mails.toAddress,
        subject: mails.subject,
        status: mails.status,
        statusReason: mails.statusReason,
        deliveryStatus: mails.deliveryStatus,
        queuedAt: mails.queuedAt,
        sentAt: mails.sentAt,
        testClockId: mails.testClockId,
        subscriptionId: mails.subscriptionId,
        customerId: mails.customerId,
        resendOf: mails.resendOf,
        attachments: mails.attachments,
        testSend: sql<boolean>`${mails.idempotencyKey} like 'test\\_send:%'`,
      })
      .from(mails)
      .where(where)
      .orderBy(desc(mails.id))
      .limit(search.perPage)
      .offset((search.page - 1) * search.perPage);
    return { rows, total, page: search.page, perPage: search.perPage, pageCount: Math.max(1, Math.ceil(total / search.perPage)) };
  });
}

export type MailDetail = {
  mail: MailRow;
  customer: { id: string; name: string } | null;
  events: (typeof mailEvents.$inferSelect)[];
  /** Rows that sent this mail again, oldest first. */
  resends: Pick<MailRow, "id" | "status" | "queuedAt">[];
  /** The suppression of its address, when mails to it are stopped. */
  suppression: Pick<typeof mailSuppressions.$inferSelect, "id" | "reason" | "createdAt"> | null;
};

/**
 * One mail of the merchant as it was sent, with its delivery events; another merchant's id is not_found. A sign-in,
 * reset or email-change link is hidden: it would let staff into the customer's mypage.
 */
export async function getMailDetail(ctx: ReadContext, id: string): Promise<MailDetail> {
  return ctx.db.transaction(async (tx) => {
    const [mail] = await tx.select().from(mails).where(and(eq(mails.id, id), eq(mails.merchantId, ctx.merchantId)));
    if (!mail) throw notFound("mail", id, "id");
    const [customer] = mail.customerId
      ? await tx.select({ id: customers.id, name: customers.name }).from(customers).where(and(eq(customers.id, mail.customerId), eq(customers.merchantId, ctx.merchantId)))
      : [];
    const events = await tx.select().from(mailEvents).where(and(eq(mailEvents.mailId, mail.id), eq(mailEvents.merchantId, ctx.merchantId))).orderBy(asc(mailEvents.at), asc(mailEvents.id));
    const resends = await tx
      .select({ id: mails.id, status: mails.status, queuedAt: mails.queuedAt })
      .from(mails)
      .where(and(eq(mails.merchantId, ctx.merchantId), eq(mails.resendOf, mail.id)))
      .orderBy(asc(mails.id));
    const [suppression] = await tx
      .select({ id: mailSuppressions.id, reason: mailSuppressions.reason, createdAt: mailSuppressions.createdAt })
      .from(mailSuppressions)
      .where(and(eq(mailSuppressions.merchantId, ctx.merchantId), eq(mailSuppressions.address, mail.toAddress.toLowerCase())));
    return { mail: withSecretLinksHidden(mail), customer: customer ?? null, events, resends, suppression: suppression ?? null };
  });
}

export const SUPPRESSIONS_LIMIT = 200;
export type SuppressionRow = typeof mailSuppressions.$inferSelect;

/** The merchant's suppressed addresses, newest first (the newest SUPPRESSIONS_LIMIT), optionally by part of the address. */
export async function listSuppressions(ctx: ReadContext, input: { q?: string | null } = {}): Promise<{ rows: SuppressionRow[]; total: number }> {
  const where = and(eq(mailSuppressions.merchantId, ctx.merchantId), matchesEveryTerm(searchTerms(input.q?.slice(0, 200)), [mailSuppressions.address]));
  return ctx.db.transaction(async (tx) => {
    const [counted] = await tx.select({ n: count() }).from(mailSuppressions).where(where);
    const rows = await tx.select().from(mailSuppressions).where(where).orderBy(desc(mailSuppressions.createdAt), desc(mailSuppressions.id)).limit(SUPPRESSIONS_LIMIT);
    return { rows, total: counted?.n ?? 0 };
  });
}
