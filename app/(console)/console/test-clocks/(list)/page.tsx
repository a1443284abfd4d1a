import type { Metadata } from "next";
import { getTimeZone, getTranslations } from "next-intl/server";
import { LiveRefresh } from "@/components/console/live-refresh";
import { localDateTimeOf } from "@/lib/billing/calendar";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { listTestClockSummaries } from "@/lib/services/queries/test-clocks";
import { ClocksTable } from "../_components/clocks-table";
import { CreateClockDialog } from "../_components/create-clock-dialog";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("testClocks"))("title") };
}

/** テストクロック: the merchant's clocks (test data living on a time of its own) and a form to make one. */
export default async function TestClocksPage() {
  const { ctx, staff } = await requireStaff();
  const [t, timeZone, clocks] = await Promise.all([getTranslations("testClocks"), getTimeZone(), listTestClockSummaries(ctx)]);
  const createReason = staffMay(staff.role, "test_clocks.operate") ? null : t("readOnly");
  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <LiveRefresh running={clocks.some((c) => c.status === "advancing")} />
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">{t("lead")}</p>
        </div>
        {/* The suggested start: now, to the minute, in the merchant's zone. */}
        <CreateClockDialog disabledReason={createReason} defaultStartLocal={localDateTimeOf(ctx.clock.now(), timeZone)} timeZone={timeZone} />
      </header>
      {clocks.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
          <p className="text-sm text-slate-700">{t("list.empty")}</p>
        </div>
      ) : (
        <ClocksTable
          rows={clocks.map((c) => ({ id: c.id, name: c.name, frozenTime: c.frozenTime, status: c.status, targetTime: c.targetTime, customerCount: c.customerCount, subscriptionCount: c.subscriptionCount, createdAt: c.createdAt }))}
        />
      )}
    </div>
  );
}
