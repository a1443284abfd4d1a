import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { TestClockBadge } from "@/components/console/test-clock-badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { orderBalance, refundOwed } from "@/lib/billing/atobarai/order-state";
import { formatMoney } from "@/lib/billing/money";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { ServiceError } from "@/lib/services/errors";
import { sandboxPaymentAllowed } from "@/lib/services/atobarai-payments";
import { getAtobaraiOrderDetail } from "@/lib/services/queries/atobarai-orders";
import { AtobaraiPage } from "../../_components/atobarai-page";
import { DecideForm, EndForm, ShipForm } from "../../_components/order-actions";
import { OrderStatusBadge } from "../../_components/order-status-badge";
import { RefundDialog } from "../../_components/refund-dialog";
import { SandboxPayButton } from "../../_components/sandbox-pay-button";
import { ScreeningReasons } from "../../_components/screening-reasons";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `${(await getTranslations("atobarai.detail"))("title")} ${(await params).id}` };
}

const postal = (code: string) => `〒${code.slice(0, 3)}-${code.slice(3)}`;

/** 注文詳細: the buyer, items and amount, screening and its reasons, the invoice, payments, what staff may do now, the timeline. */
export default async function AtobaraiOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, staff } = await requireStaff();
  const [t, format] = await Promise.all([getTranslations("atobarai"), getFormatter()]);
  const { id } = await params;
  const detail = await getAtobaraiOrderDetail(ctx, id).catch((error) => {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  });
  const { order, events, payments, refunds, testClock } = detail;
  const money = (amount: number) => formatMoney({ amount, currency: order.currency });
  const operate = staffMay(staff.role, "atobarai.operate");
  const balance = orderBalance(order);
  const owed = refundOwed(order);
  const testPayment = operate && balance > 0 && (order.status === "shipped" || order.status === "collection") && (await sandboxPaymentAllowed(ctx, order));
  const dl = (rows: [string, React.ReactNode][]) => (
    <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-600">{k}</dt>
          <dd className="text-slate-900">{v}</dd>
        </div>
      ))}
    </dl>
  );
  return (
    <AtobaraiPage
      title={`${t("detail.title")} ${order.orderRef}`}
      aside={
        <span className="flex flex-wrap items-center gap-2">
          <OrderStatusBadge status={order.status} />
          {testClock ? <TestClockBadge clock={testClock} testId="test-clock-badge" /> : null}
        </span>
      }
      tab="orders"
    >
      {testClock ? (
        <p className="mb-4 rounded-md border border-violet-200 bg-violet-50 p-3 text-sm text-violet-950" data-testid="test-clock-note">
          {t.rich("detail.onTestClock", {
            time: format.dateTime(testClock.frozenTime, { dateStyle: "medium", timeStyle: "short" }),
            link: (chunks) => (
              <Link href={`/console/test-clocks/${testClock.id}`} className="font-medium underline underline-offset-2">
                {chunks}
              </Link>
            ),
          })}
        </p>
      ) : null}
      {owed > 0 ? (
        <section aria-labelledby="refund-owed-heading" data-testid="atobarai-refund-owed" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4">
          <div>
            <h2 id="refund-owed-heading" className="text-base font-semibold text-amber-950">
              {t("refund.banner", { amount: money(owed) })}
            </h2>
            <p className="mt-1 text-sm text-amber-950">{t(order.status === "returned" ? "refund.returned" : "refund.overpaid", { amount: money(owed) })}</p>
          </div>
          <RefundDialog orderId={order.id} owed={owed} disabledReason={operate ? null : t("refund.forbidden")} />
        </section>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle>{t("detail.buyer")}</CardTitle>
          {dl([
            [t("new.fields.name"), `${order.buyerName}（${order.buyerKana}）`],
            [t("new.fields.email"), order.buyerEmail],
            [t("new.fields.phone"), order.buyerPhone],
            [t("new.fields.address"), `${postal(order.postalCode)} ${order.address}`],
            [t("detail.shipTo"), order.shipping ? `${order.shipping.name} ${postal(order.shipping.postalCode)} ${order.shipping.address}` : t("detail.sameAsBuyer")],
          ])}
        </Card>
        <Card>
          <CardTitle>{t("detail.screening")}</CardTitle>
          {order.screeningResult ? (
            <div className="flex flex-col gap-2">
              <p className="text-sm font-semibold">{t(`result.${order.screeningResult}`)}</p>
              <ScreeningReasons reasons={order.screeningReasons ?? []} />
              {order.reviewNote ? <p className="text-sm text-slate-700">{t("detail.reviewNote", { note: order.reviewNote })}</p> : null}
            </div>
          ) : (
            <p className="text-sm text-slate-700">{t("detail.waiting")}</p>
          )}
        </Card>
      </div>
      <Card>
        <CardTitle>{t("detail.items")}</CardTitle>
        <Table>
          <THead>
            <TR>
              <TH scope="col">{t("new.itemFields.name")}</TH>
              <TH scope="col" className="text-right">
                {t("new.itemFields.quantity")}
              </TH>
              <TH scope="col" className="text-right">
                {t("new.itemFields.unitPrice")}
              </TH>
            </TR>
          </THead>
          <TBody>
            {order.items.map((item, i) => (
              <TR key={i}>
                <TD>{item.name}</TD>
                <TD className="text-right tabular-nums">{item.quantity}</TD>
                <TD className="text-right tabular-nums">{money(item.unitPrice)}</TD>
              </TR>
            ))}
            <TR>
              <TH scope="row" colSpan={2}>
                {t("new.total")}
              </TH>
              <TD className="text-right font-semibold tabular-nums">{money(order.amount)}</TD>
            </TR>
          </TBody>
        </Table>
      </Card>
      {order.invoiceIssuedAt ? (
        <Card>
          <CardTitle>{t("detail.invoice")}</CardTitle>
          {dl([
            [t("ship.trackingNumber"), `${order.trackingNumber ?? ""}${order.carrier ? `（${order.carrier}）` : ""}`],
            [t("detail.issued"), <DateText key="i" value={order.invoiceIssuedAt} withTime />],
            [t("detail.dueOn"), order.dueOn ?? "—"],
            [t("detail.paymentNumber"), <span key="p" className="font-mono">{order.paymentNumber}</span>],
            [t("detail.bankReference"), <span key="b" className="font-mono">{order.bankReference}</span>],
            [t("ship.invoiceDelivery"), t(`ship.${order.invoiceDelivery ?? "mail"}`)],
            [t("detail.paid"), `${money(order.amountPaid)}${owed > 0 ? `（${t("detail.refundOwed", { amount: money(owed) })}）` : balance > 0 && order.amountPaid > 0 ? `（${t("detail.remaining", { amount: money(balance) })}）` : ""}`],
            ...(order.amountRefunded > 0 ? [[t("refund.heading"), t("refund.refunded", { amount: money(order.amountRefunded) })] as [string, React.ReactNode]] : []),
          ])}
          <Link href={`/console/atobarai/orders/${order.id}/invoice`} className="mt-3 inline-block text-sm text-sky-800 underline" prefetch={false}>
            {t("detail.invoicePdf")}
          </Link>
          {testPayment ? (
            <div className="mt-3">
              <SandboxPayButton orderId={order.id} disabledReason={null} />
            </div>
          ) : null}
        </Card>
      ) : null}
      {operate && order.status === "in_review" ? (
        <Card>
          <CardTitle>{t("decide.title")}</CardTitle>
          <DecideForm orderId={order.id} orderRef={order.orderRef} />
        </Card>
      ) : null}
      {operate && order.status === "approved" ? (
        <Card>
          <CardTitle>{t("ship.title")}</CardTitle>
          <ShipForm orderId={order.id} defaultDelivery={order.invoiceDelivery ?? "mail"} />
        </Card>
      ) : null}
      {operate && ["registered", "approved", "rejected", "in_review"].includes(order.status) ? (
        <Card>
          <CardTitle>{t("cancel.title")}</CardTitle>
          <EndForm orderId={order.id} kind="cancel" />
        </Card>
      ) : null}
      {operate && ["shipped", "paid", "collection"].includes(order.status) ? (
        <Card>
          <CardTitle>{t("return.title")}</CardTitle>
          <EndForm orderId={order.id} kind="return" />
        </Card>
      ) : null}
      {payments.length > 0 ? (
        <Card>
          <CardTitle>{t("detail.payments")}</CardTitle>
          <ul className="text-sm">
            {payments.map((p) => (
              <li key={p.id}>
                <DateText value={p.paidAt} withTime /> {money(p.amount)}（{p.channel}）
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {refunds.length > 0 ? (
        <Card>
          <CardTitle>{t("refund.heading")}</CardTitle>
          <ul className="text-sm" data-testid="atobarai-refunds">
            {refunds.map((r) => (
              <li key={r.id}>
                <DateText value={r.refundedAt} withTime /> {money(r.amount)}（{t(`refund.methods.${r.method}`)}）{r.note ? <span className="text-slate-600">「{r.note}」</span> : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <CardTitle>{t("detail.timeline")}</CardTitle>
        <ol className="flex flex-col gap-2 text-sm">
          {events.map((e) => (
            <li key={e.id} className="flex gap-3">
              <DateText value={e.at} withTime />
              <span>{t.has(`events.${e.kind}` as "events.registered") ? t(`events.${e.kind}` as "events.registered") : e.kind}</span>
              {e.kind === "refund" && typeof e.data.amount === "number" ? <span className="tabular-nums">{money(e.data.amount)}</span> : null}
              {typeof e.data.note === "string" || typeof e.data.reason === "string" ? <span className="text-slate-600">「{String(e.data.note ?? e.data.reason)}」</span> : null}
            </li>
          ))}
        </ol>
      </Card>
    </AtobaraiPage>
  );
}
