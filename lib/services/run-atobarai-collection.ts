import { and, asc, eq, gt, lt, or } from "drizzle-orm";
import { atobaraiAccounts, atobaraiOrders, merchants } from "@/db/schema";
import { collectionStepDue } from "@/lib/billing/atobarai/collection";
import { orderBalance } from "@/lib/billing/atobarai/order-state";
import type { AtobaraiSettings } from "@/lib/billing/atobarai/settings";
import { localDateOf } from "@/lib/billing/calendar";
import { formatMoney } from "@/lib/billing/money";
import { mailKeys } from "@/lib/billing/mail-template";
import { enqueueMail } from "@/lib/mail/enqueue-mail";
import { formatMailDate } from "@/lib/mail/mail-date";
import type { Platform } from "./context";
import { SYSTEM_ACTOR } from "./context";
import { type AtobaraiScope, LIVE, lockAtobaraiOrder, onScope, orderNow, recordOrderEvent, transitionAtobaraiOrder } from "./internal/atobarai-orders";
import { settleFallbackInvoices, unsettledFallbackOrders } from "./internal/atobarai-fallback";
import { mailOwners } from "./internal/owner-mail";

const PAGE = 500;

export type CollectionRunResult = { reminded: number; collected: number; fallbacksSettled: number };

/**
 * The reminders worker (runner loop and Inngest cron): for every shipped order unpaid after its due date, in the
 * merchant's time zone, the reminder mails to the buyer on their days (the last one as the final reminder), then the
 * move to collection (要回収) with the owners told. Each step happens once: the order is locked and its
 * reminders_sent / status say what was done, and the mails' keys are per order and step. Live orders by default; a
 * test clock's when its advance asks (`scope`).
 */
export async function runAtobaraiCollection(platform: Pick<Platform, "db" | "clock" | "links">, scope: AtobaraiScope = LIVE): Promise<CollectionRunResult> {
  const now = platform.clock.now();
  const ctx = { ...platform, actor: SYSTEM_ACTOR };
  const result: CollectionRunResult = { reminded: 0, collected: 0, fallbacksSettled: 0 };
  // Reminders come a day after the due date at the earliest: no time zone is ahead of UTC by a whole day.
  const latestDue = now.toISOString().slice(0, 10);
  let after: { dueOn: string; id: string } | null = null;
  for (;;) {
    const page: { id: string; merchantId: string; dueOn: string | null; remindersSent: number; timeZone: string; settings: AtobaraiSettings }[] = await platform.db
      .select({ id: atobaraiOrders.id, merchantId: atobaraiOrders.merchantId, dueOn: atobaraiOrders.dueOn, remindersSent: atobaraiOrders.remindersSent, timeZone: merchants.timeZone, settings: atobaraiAccounts.settings })
      .from(atobaraiOrders)
      .innerJoin(merchants, eq(merchants.id, atobaraiOrders.merchantId))
      .innerJoin(atobaraiAccounts, eq(atobaraiAccounts.merchantId, atobaraiOrders.merchantId))
      .where(
        and(
          eq(atobaraiOrders.status, "shipped"),
          lt(atobaraiOrders.dueOn, latestDue),
          onScope(scope),
          after ? or(gt(atobaraiOrders.dueOn, after.dueOn), and(eq(atobaraiOrders.dueOn, after.dueOn), gt(atobaraiOrders.id, after.id))) : undefined,
        ),
      )
      .orderBy(asc(atobaraiOrders.dueOn), asc(atobaraiOrders.id))
      .limit(PAGE);
    for (const candidate of page) {
      const step = collectionStepDue({ dueOn: candidate.dueOn!, remindersSent: candidate.remindersSent }, candidate.settings, localDateOf(now, candidate.timeZone));
      if (!step) continue;
      const done = await takeStep(ctx, candidate.merchantId, candidate.id, candidate.settings);
      if (done === "reminded") result.reminded++;
      if (done === "collected") result.collected++;
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { dueOn: last.dueOn!, id: last.id };
  }
  // The janitor for fallbacks paid but not settled (a crash between the two) looks at every order, test clocks' too.
  if (scope.testClockId === null) result.fallbacksSettled = await settleFallbackInvoices(ctx, await unsettledFallbackOrders(ctx));
  return result;
}

async function takeStep(ctx: Pick<Platform, "db" | "clock" | "links"> & { actor: typeof SYSTEM_ACTOR }, merchantId: string, orderId: string, settings: AtobaraiSettings): Promise<"reminded" | "collected" | null> {
  return ctx.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, merchantId, orderId);
    const now = await orderNow(tx, order, ctx.clock);
    const [merchant] = await tx.select().from(merchants).where(eq(merchants.id, merchantId));
    if (order.status !== "shipped" || !order.dueOn || !merchant) return null;
    const step = collectionStepDue({ dueOn: order.dueOn, remindersSent: order.remindersSent }, settings, localDateOf(now, merchant.timeZone));
    if (!step) return null;
    const balance = formatMoney({ amount: orderBalance(order), currency: order.currency });
    const dueDate = (locale: "ja" | "en") => formatMailDate(new Date(`${order.dueOn}T12:00:00Z`), "UTC", locale);
    if (step.kind === "collection") {
      await transitionAtobaraiOrder(tx, order, "to_collection", { set: { collectionAt: now }, data: { balance: orderBalance(order), remindersSent: order.remindersSent }, actor: ctx.actor, at: now });
      await mailOwners(tx, {
        merchantId,
        template: "atobarai_collection",
        at: now,
        variables: (owner) => ({ name: order.buyerName, order_ref: order.orderRef, amount: balance, due_date: dueDate(owner.locale), order_url: `${ctx.links.baseUrl}/console/atobarai/orders/${order.id}` }),
        idempotencyKey: (owner) => mailKeys.atobaraiCollection(order.id, owner.id),
      });
      return "collected";
    }
    const final = step.number === settings.reminderDays.length && step.number > 1;
    const template = final ? "atobarai_final_reminder" : "atobarai_reminder";
    await tx.update(atobaraiOrders).set({ remindersSent: step.number, updatedAt: now }).where(eq(atobaraiOrders.id, order.id));
    await recordOrderEvent(tx, order, { kind: "reminder", data: { number: step.number, template, balance: orderBalance(order) }, actor: ctx.actor, at: now });
    await enqueueMail(tx, {
      merchantId,
      template,
      to: order.buyerEmail,
      locale: "ja",
      variables: {
        name: order.buyerName,
        merchant: merchant.senderName ?? merchant.name,
        footer: merchant.mailFooter ?? merchant.name,
        order_ref: order.orderRef,
        amount: balance,
        due_date: dueDate("ja"),
        payment_number: order.paymentNumber ?? "",
        bank_reference: order.bankReference ?? "",
      },
      idempotencyKey: mailKeys.atobaraiReminder(order.id, step.number),
      at: now,
      testClockId: order.testClockId,
      skipped: merchant.mailSettings[template]?.enabled === false ? "disabled_for_merchant" : null,
    });
    return "reminded";
  });
}
