import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTimeZone, getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { LiveRefresh } from "@/components/console/live-refresh";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { localDateTimeOf } from "@/lib/billing/calendar";
import { formatMoney } from "@/lib/billing/money";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import type { ServiceContext } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { listCheckoutPlanChoices } from "@/lib/services/queries/checkout-links";
import { testClockActivity } from "@/lib/services/queries/test-clock-activity";
import { getTestClockOverview, type TestClockOverview } from "@/lib/services/queries/test-clocks";
import { ActivitySection } from "../_components/activity-section";
import { AddContractDialog, type PlanGroup } from "../_components/add-contract-dialog";
import { AddCustomerDialog } from "../_components/add-customer-dialog";
import { AdvanceControls } from "../_components/advance-controls";
import { ClockContractsTable, ClockCustomersTable } from "../_components/clock-tables";
import { ClockStatusBadge } from "../_components/clock-status-badge";

async function overviewOf(ctx: ServiceContext, id: string): Promise<TestClockOverview> {
  try {
    return await getTestClockOverview(ctx, id);
  } catch (error) {
    // Another merchant's clock, a deleted one, or none: the same "not found" either way.
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const t = await getTranslations("testClocks");
  return { title: `${t("title")} ${(await params).id}` };
}

/**
 * One test clock: its frozen time and status, the customers and contracts living on it (made here with sandbox test
 * cards), the controls that move it forward — in the background, the page refreshing until it is ready — and what ran.
 */
export default async function TestClockPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, staff } = await requireStaff();
  const { id } = await params;
  const { clock, customers, contracts } = await overviewOf(ctx, id);
  const [t, tBilling, timeZone, activity, plans] = await Promise.all([
    getTranslations("testClocks"),
    getTranslations("billing"),
    getTimeZone(),
    testClockActivity(ctx, id),
    listCheckoutPlanChoices(ctx),
  ]);
  const advancing = clock.status === "advancing";
  const mayOperate = staffMay(staff.role, "test_clocks.operate");
  const readOnly = mayOperate ? null : t("readOnly");
  const advanceReason = readOnly ?? (advancing ? t("advance.busy") : null);
  const customerReason = readOnly;
  const contractReason = readOnly ?? (customers.length === 0 ? t("contract.noCustomers") : plans.length === 0 ? t("contract.noPlans") : null);

  const groups: PlanGroup[] = [];
  for (const plan of plans) {
    let group = groups.at(-1);
    if (group?.productId !== plan.productId) groups.push((group = { productId: plan.productId, productName: plan.productName, plans: [] }));
    group.plans.push({ id: plan.id, label: t("contract.planOption", { plan: plan.name ?? plan.productName, amount: formatMoney({ amount: plan.amount, currency: plan.currency }), interval: tBilling(`interval.${plan.interval}`) }) });
  }
  const name = clock.name ?? t("unnamed");

  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <LiveRefresh running={advancing} />
      <nav>
        <Link href="/console/test-clocks" className="text-sm font-medium text-sky-800 underline underline-offset-2">
          {t("backToList")}
        </Link>
      </nav>
      <header className="flex flex-col gap-2">
        <h1 className="flex flex-wrap items-center gap-3 text-2xl font-bold">
          {name}
          <Badge tone="test">{t("badge")}</Badge>
          <ClockStatusBadge status={clock.status} />
        </h1>
        <p className="max-w-3xl text-sm text-slate-600">{t("detail.lead")}</p>
      </header>

      <Card aria-labelledby="clock-time-title">
        <CardTitle id="clock-time-title">{t("detail.time")}</CardTitle>
        <p className="text-3xl font-semibold tabular-nums" data-testid="frozen-time">
          <DateText value={clock.frozenTime} withTime />
        </p>
        <p className="mt-1 text-xs text-slate-600">{t("detail.timeZone", { timeZone })}</p>
        <p role="status" className="mt-3 text-sm text-slate-800" data-testid="advance-status">
          {advancing ? (
            <>
              {t("advance.running")}
              {clock.targetTime ? (
                <>
                  {" "}
                  {t("advance.target")} <DateText value={clock.targetTime} withTime />
                </>
              ) : null}
            </>
          ) : clock.lastAdvanceError ? (
            <span className="text-red-800">{t("advance.failed", { reason: clock.lastAdvanceError })}</span>
          ) : null}
        </p>
        <AdvanceControls testClockId={clock.id} disabledReason={advanceReason} minLocal={localDateTimeOf(clock.frozenTime, timeZone)} timeZone={timeZone} />
      </Card>

      <Card aria-labelledby="clock-customers-title">
        <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
          <CardTitle id="clock-customers-title" className="mb-0">
            {t("customers.title")}
          </CardTitle>
          <AddCustomerDialog testClockId={clock.id} disabledReason={customerReason} />
        </div>
        {customers.length === 0 ? <p className="text-sm text-slate-600">{t("customers.empty")}</p> : <ClockCustomersTable rows={customers} />}
      </Card>

      <Card aria-labelledby="clock-contracts-title">
        <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
          <CardTitle id="clock-contracts-title" className="mb-0">
            {t("contracts.title")}
          </CardTitle>
          <AddContractDialog testClockId={clock.id} customers={customers.map((c) => ({ id: c.id, label: `${c.name}（${c.email}）` }))} groups={groups} disabledReason={contractReason} />
        </div>
        {contracts.length === 0 ? (
          <p className="text-sm text-slate-600">{t("contracts.empty")}</p>
        ) : (
          <ClockContractsTable rows={contracts.map((c) => ({ ...c, price: `${formatMoney({ amount: c.amount, currency: c.currency })} / ${tBilling(`interval.${c.interval}`)}` }))} />
        )}
      </Card>

      <ActivitySection entries={activity} />
    </div>
  );
}
