import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { StatusBadge } from "@/components/console/status-badge";
import { TestClockBadge } from "@/components/console/test-clock-badge";
import { localDateOf, localDateTimeOf } from "@/lib/billing/calendar";
import { requireStaff } from "@/lib/console/staff-context";
import { DATE_FORMAT } from "@/lib/i18n/formats";
import type { ServiceContext } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { staffMay } from "@/lib/services/authorize";
import { atobaraiFallbackOffer } from "@/lib/services/queries/atobarai-money";
import { subscriptionAuditTrail } from "@/lib/services/queries/audit-events";
import { contractActions } from "@/lib/services/queries/contract-actions";
import { latestDisputes, listInvoices, listRefunds } from "@/lib/services/queries/invoices";
import { listMails } from "@/lib/services/queries/mails";
import { getContractFuture } from "@/lib/services/queries/contract-future";
import { getSubscriptionDetail } from "@/lib/services/queries/subscription-detail";
import { subscriptionTimeline } from "@/lib/services/queries/subscriptions";
import { FallbackDialog } from "../../atobarai/_components/fallback-dialog";
import { AuditSection } from "./_components/audit-section";
import { ContractActionsBar } from "./_components/contract-actions-bar";
import { ContractNotices } from "./_components/contract-notices";
import { ContractSummary } from "./_components/contract-summary";
import { FutureSection } from "./_components/future-section";
import { InvoicesSection } from "./_components/invoices-section";
import { MailsSection } from "./_components/mails-section";
import { TimelineSection } from "./_components/timeline-section";
import { loadContractFutureParams } from "./search-params";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("subscription");
  return { title: t("title") };
}

/** The newest invoices, mails and audit events shown; a contract of many years says there are more. */
const INVOICES_SHOWN = 50;
const MAILS_SHOWN = 50;
const AUDIT_SHOWN = 100;

/** The contract, or the not-found page: an unknown id and another merchant's contract look the same. */
async function detailOrNotFound(ctx: ServiceContext, id: string) {
  try {
    return await getSubscriptionDetail(ctx, id);
  } catch (error) {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function SubscriptionDetailPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const { cardFails } = await loadContractFutureParams(searchParams);
  const { staff, ctx } = await requireStaff();
  const detail = await detailOrNotFound(ctx, id);
  const [t, tCard, format, timeline, invoicePage, mailPage, audit, future, atobaraiFallback] = await Promise.all([
    getTranslations("subscription"),
    getTranslations("subscription.card"),
    getFormatter(),
    subscriptionTimeline(ctx, id),
    listInvoices(ctx, { subscriptionId: id, limit: INVOICES_SHOWN }),
    listMails(ctx, { subscriptionId: id, limit: MAILS_SHOWN }),
    subscriptionAuditTrail(ctx, id, AUDIT_SHOWN),
    getContractFuture(ctx, id, { cardFails }),
    atobaraiFallbackOffer(ctx, id),
  ]);
  const invoiceIds = invoicePage.rows.map((i) => i.id);
  // Disputes only for invoices marked disputed: most contracts have none, and then no query is made.
  const [refunds, disputes] = await Promise.all([listRefunds(ctx, invoiceIds), latestDisputes(ctx, invoicePage.rows.filter((i) => i.disputedAt).map((i) => i.id))]);
  const { subscription: sub, timeZone, now } = detail;
  const actions = contractActions({
    role: staff.role,
    now,
    subscription: sub,
    owedInvoiceId: detail.owedInvoice?.id ?? null,
    hasUsagePrices: detail.plan.usageRates.length > 0,
    hasOtherPlans: detail.planChoices.length > 0,
  });
  const readOnly = Object.values(actions).every((a) => !a.enabled && a.reason === "role");
  // A suggested retry time: tomorrow 10:00 in the merchant's zone (the contract's own day for a test clock).
  const defaultRetryAtLocal = `${localDateOf(now, timeZone).add({ days: 1 }).toString()}T10:00`;

  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <header className="flex flex-col gap-3">
        <nav aria-label={t("breadcrumb")}>
          <Link href="/console/subscriptions" className="text-sm text-sky-800 underline underline-offset-2">
            {t("breadcrumb")}
          </Link>
        </nav>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold">{t("heading", { customer: detail.customer.name })}</h1>
          <StatusBadge status={sub.status} />
          {detail.testClock ? <TestClockBadge clock={detail.testClock} testId="test-clock-badge" /> : null}
        </div>
        <p className="text-xs text-slate-600">
          {t("contractId")}: <code data-testid="contract-id">{sub.id}</code>
        </p>
        <ContractActionsBar
          subscriptionId={sub.id}
          actions={actions}
          readOnly={readOnly}
          paidThroughLabel={sub.paidThrough ? format.dateTime(sub.paidThrough, DATE_FORMAT) : null}
          owed={detail.owedInvoice ? { total: detail.owedInvoice.total, currency: detail.owedInvoice.currency } : null}
          currency={detail.plan.currency}
          cardLabel={detail.card ? tCard("number", { brand: detail.card.brand.toUpperCase(), last4: detail.card.last4 }) : tCard("none")}
          lastPaymentAt={sub.lastPaymentAt?.toISOString() ?? null}
          cardOnFileWindowDays={detail.cardOnFileWindowDays}
          usageRates={detail.plan.usageRates}
          currentPlan={detail.plan}
          pendingPlanId={sub.pendingPlanId}
          planChoices={detail.planChoices}
          minLocal={localDateTimeOf(now, timeZone)}
          defaultRetryAtLocal={defaultRetryAtLocal}
          timeZone={timeZone}
        />
        {atobaraiFallback ? (
          <div>
            <FallbackDialog subscriptionId={sub.id} prefill={atobaraiFallback.prefill} disabledReason={staffMay(staff.role, "atobarai.operate") ? null : t("disabled.role")} />
          </div>
        ) : null}
      </header>
      <ContractNotices detail={detail} />
      <ContractSummary detail={detail} />
      <TimelineSection entries={timeline} />
      <FutureSection future={future} status={sub.status} cardFails={cardFails} />
      <InvoicesSection subscriptionId={sub.id} invoices={invoicePage.rows} refunds={refunds} disputes={disputes} hasMore={invoicePage.hasMore} role={staff.role} />
      <MailsSection rows={mailPage.rows} hasMore={mailPage.hasMore} />
      <AuditSection rows={audit.rows} hasMore={audit.hasMore} />
    </div>
  );
}
