import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AtobaraiOrderStatus } from "@/db/schema/atobarai";
import { refundOwed } from "@/lib/billing/atobarai/order-state";
import { formatMoney } from "@/lib/billing/money";
import { TestClockBadge } from "@/components/console/test-clock-badge";
import { listTestClockSummaries } from "@/lib/services/queries/test-clocks";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { ATOBARAI_ORDER_STATUSES, getAtobaraiAccount, listAtobaraiOrders } from "@/lib/services/queries/atobarai-orders";
import { AtobaraiOff } from "./_components/atobarai-off";
import { AtobaraiPage } from "./_components/atobarai-page";
import { OrderStatusBadge } from "./_components/order-status-badge";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("atobarai"))("title") };
}

const PAGE_SIZE = 50;

/** 後払い 注文一覧: the merchant's orders, newest first, by status and a search; the way to register, upload and decide. */
export default async function AtobaraiOrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, staff } = await requireStaff();
  const t = await getTranslations("atobarai");
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  const status = (ATOBARAI_ORDER_STATUSES as readonly string[]).includes(one(params.status)) ? (one(params.status) as AtobaraiOrderStatus) : null;
  const q = one(params.q).slice(0, 200);
  const refund = one(params.refund) === "owed";
  const after = one(params.after) || null;
  const account = await getAtobaraiAccount(ctx);
  if (!account) {
    return (
      <AtobaraiPage title={t("title")} lead={t("lead")} tab="orders">
        <AtobaraiOff readOnlyReason={staffMay(staff.role, "atobarai.manage") ? null : t("off.readOnly")} />
      </AtobaraiPage>
    );
  }
  const [page, clocks] = await Promise.all([listAtobaraiOrders(ctx, { limit: PAGE_SIZE, startingAfter: after, statuses: status ? [status] : undefined, q, refundOwed: refund }), listTestClockSummaries(ctx)]);
  const clockOf = new Map(clocks.map((clock) => [clock.id, clock]));
  const next = page.hasMore ? `?${new URLSearchParams({ ...(status ? { status } : {}), ...(q ? { q } : {}), ...(refund ? { refund: "owed" } : {}), after: page.rows.at(-1)!.id })}` : null;
  return (
    <AtobaraiPage title={t("title")} lead={t("lead")} tab="orders">
      <form className="flex flex-wrap items-end gap-3" role="search" aria-label={t("list.filters")}>
        <div className="flex flex-col gap-1">
          <Label htmlFor="atobarai-status">{t("list.status")}</Label>
          <NativeSelect id="atobarai-status" name="status" defaultValue={status ?? ""}>
            <option value="">{t("list.allStatuses")}</option>
            {ATOBARAI_ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="atobarai-q">{t("list.search")}</Label>
          <Input id="atobarai-q" name="q" type="search" defaultValue={q} placeholder={t("list.searchPlaceholder")} className="w-72" />
        </div>
        <div className="flex items-center gap-2 pb-2">
          <input id="atobarai-refund" name="refund" value="owed" type="checkbox" defaultChecked={refund} className="h-4 w-4 accent-sky-700" />
          <Label htmlFor="atobarai-refund">{t("refund.filter")}</Label>
        </div>
        <Button type="submit" variant="secondary">
          {t("list.apply")}
        </Button>
      </form>
      {page.rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
          <p className="text-sm text-slate-700">{status || q || refund ? t("list.noMatch") : t("list.empty")}</p>
        </div>
      ) : (
        <Table>
          <caption className="sr-only">{t("list.caption")}</caption>
          <THead>
            <TR>
              <TH scope="col">{t("list.orderRef")}</TH>
              <TH scope="col">{t("list.buyer")}</TH>
              <TH scope="col" className="text-right">
                {t("list.amount")}
              </TH>
              <TH scope="col">{t("list.status")}</TH>
              <TH scope="col">{t("list.registered")}</TH>
              <TH scope="col">{t("list.due")}</TH>
            </TR>
          </THead>
          <TBody>
            {page.rows.map((o) => {
              const owed = refundOwed(o);
              return (
              <TR key={o.id}>
                <TD>
                  <Link href={`/console/atobarai/orders/${o.id}`} className="font-medium text-sky-800 underline-offset-2 hover:underline">
                    {o.orderRef}
                  </Link>
                </TD>
                <TD>{o.buyerName}</TD>
                <TD className="text-right tabular-nums">{formatMoney({ amount: o.amount, currency: o.currency })}</TD>
                <TD>
                  <span className="flex flex-wrap items-center gap-1">
                    <OrderStatusBadge status={o.status} />
                    {o.testClockId ? <TestClockBadge clock={clockOf.get(o.testClockId) ?? { id: o.testClockId, name: null }} /> : null}
                    {owed > 0 ? <Badge tone="warning">{`${t("refund.badge")} ${formatMoney({ amount: owed, currency: o.currency })}`}</Badge> : null}
                  </span>
                </TD>
                <TD>
                  <DateText value={o.createdAt} withTime />
                </TD>
                <TD>{o.dueOn ?? "—"}</TD>
              </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      {next ? (
        <Link href={next} className="text-sm text-sky-800 underline">
          {t("list.next")}
        </Link>
      ) : null}
    </AtobaraiPage>
  );
}
