import { and, asc, eq, gte, inArray, isNotNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { atobaraiOrders } from "@/db/schema";
import { lookupPostalCode } from "@/lib/address/postal-code-lookup";
import { prefectureOf, type ScreeningFacts, type ScreeningResult, screenOrder } from "@/lib/billing/atobarai/screening";
import { mailKeys } from "@/lib/billing/mail-template";
import { formatMoney } from "@/lib/billing/money";
import { formatMailDate } from "@/lib/mail/mail-date";
import { atobaraiAccountOf } from "./atobarai-settings";
import { type Platform, SYSTEM_ACTOR } from "./context";
import { type AtobaraiOrderRow, type AtobaraiScope, lockAtobaraiOrder, onScope, orderNow, transitionAtobaraiOrder } from "./internal/atobarai-orders";
import { mailOwners } from "./internal/owner-mail";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Orders that hold the buyer's credit: approved and not yet paid, shipped or not, or handed to collection. */
const OUTSTANDING: AtobaraiOrderRow["status"][] = ["approved", "shipped", "collection"];

/** The same buyer as this order's, found by any of its normalised keys (phone, email, address). */
function sameBuyer(order: AtobaraiOrderRow): SQL {
  const keys: SQL[] = [];
  if (order.buyerPhoneKey) keys.push(eq(atobaraiOrders.buyerPhoneKey, order.buyerPhoneKey));
  if (order.buyerEmailKey) keys.push(eq(atobaraiOrders.buyerEmailKey, order.buyerEmailKey));
  if (order.buyerAddressKey) keys.push(eq(atobaraiOrders.buyerAddressKey, order.buyerAddressKey));
  return and(eq(atobaraiOrders.merchantId, order.merchantId), ne(atobaraiOrders.id, order.id), keys.length > 0 ? or(...keys) : sql`false`)!;
}

/** What screening looks at, read from the merchant's other orders of the same buyer. */
export async function screeningFactsOf(tx: Db, order: AtobaraiOrderRow): Promise<ScreeningFacts> {
  const buyer = sameBuyer(order);
  const [found] = await tx
    .select({
      outstanding: sql<number>`coalesce(sum(case when ${inArray(atobaraiOrders.status, OUTSTANDING)} then ${atobaraiOrders.amount} - ${atobaraiOrders.amountPaid} + ${atobaraiOrders.amountRefunded} else 0 end), 0)`.mapWith(Number),
      defaults: sql<number>`count(*) filter (where ${isNotNull(atobaraiOrders.collectionAt)})`.mapWith(Number),
      duplicates: sql<number>`count(*) filter (where ${and(
        eq(atobaraiOrders.amount, order.amount),
        ne(atobaraiOrders.status, "canceled"),
        gte(atobaraiOrders.createdAt, new Date(order.createdAt.getTime() - DAY_MS)),
        lte(atobaraiOrders.createdAt, order.createdAt),
      )})`.mapWith(Number),
    })
    .from(atobaraiOrders)
    .where(buyer);
  const postal = lookupPostalCode(order.postalCode);
  return {
    amount: order.amount,
    buyerOutstanding: found?.outstanding ?? 0,
    buyerDefaults: found?.defaults ?? 0,
    postalCode: order.postalCode,
    postalPrefectures: postal.ok ? [...new Set(postal.candidates.map((c) => c.prefecture))] : [],
    address: order.address,
    duplicates: found?.duplicates ?? 0,
  };
}

const TRANSITION = { ok: "screen_ok", ng: "screen_ng", review: "screen_review" } as const;
const RESULT_WORDS: Record<"ja" | "en", Record<ScreeningResult, string>> = {
  ja: { ok: "OK", ng: "NG", review: "保留（審査中）" },
  en: { ok: "OK", ng: "NG", review: "On hold (manual review)" },
};

/**
 * Screens one registered order (与信): reads the facts, applies the merchant's rules, moves the order to approved,
 * rejected or in review with the reasons, and mails the owners the result with only what seed 003 allows (the date
 * registered, the result, the order number, the buyer's name, the amount, the prefecture). An order already screened
 * (another worker, a cancel meanwhile) is left as it is.
 */
export async function screenAtobaraiOrder(platform: Platform, merchantId: string, orderId: string): Promise<ScreeningResult | null> {
  return platform.db.transaction(async (tx) => {
    const order = await lockAtobaraiOrder(tx, merchantId, orderId);
    if (order.status !== "registered") return null;
    const now = await orderNow(tx, order, platform.clock);
    const account = await atobaraiAccountOf(tx, merchantId);
    const facts = await screeningFactsOf(tx, order);
    const { result, reasons } = screenOrder(facts, account.settings.screening);
    await transitionAtobaraiOrder(tx, order, TRANSITION[result], { set: { screeningResult: result, screeningReasons: reasons, screenedAt: now }, data: { result, reasons }, actor: SYSTEM_ACTOR, at: now });
    const prefecture = prefectureOf(order.address) ?? "—";
    await mailOwners(tx, {
      merchantId,
      template: "atobarai_screening_result",
      at: now,
      variables: (owner, merchant) => ({
        registered_on: formatMailDate(order.createdAt, merchant.timeZone, owner.locale),
        screening_result: RESULT_WORDS[owner.locale][result],
        order_ref: order.orderRef,
        name: order.buyerName,
        amount: formatMoney({ amount: order.amount, currency: order.currency }),
        prefecture,
        order_url: `${platform.links.baseUrl}/console/atobarai/orders/${order.id}`,
      }),
      idempotencyKey: (owner) => mailKeys.atobaraiScreeningResult(order.id, owner.id),
    });
    return result;
  });
}

/**
 * The screening worker's pass (runner loop or Inngest cron): every order waiting in `registered`, oldest first, up to
 * `limit`, each in its own transaction. Returns how many were screened. Live orders by default; a test clock's
 * orders when its advance asks (`scope`).
 */
export async function screenRegisteredAtobaraiOrders(platform: Platform, options: { limit?: number; scope?: AtobaraiScope } = {}): Promise<{ screened: number }> {
  const waiting = await platform.db
    .select({ id: atobaraiOrders.id, merchantId: atobaraiOrders.merchantId })
    .from(atobaraiOrders)
    .where(and(eq(atobaraiOrders.status, "registered"), onScope(options.scope)))
    .orderBy(asc(atobaraiOrders.createdAt), asc(atobaraiOrders.id))
    .limit(options.limit ?? 200);
  let screened = 0;
  for (const order of waiting) if (await screenAtobaraiOrder(platform, order.merchantId, order.id)) screened++;
  return { screened };
}
