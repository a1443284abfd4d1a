import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { getAtobaraiAccount } from "@/lib/services/queries/atobarai-orders";
import { listTestClockSummaries } from "@/lib/services/queries/test-clocks";
import { AtobaraiPage } from "../../_components/atobarai-page";
import { OrderForm } from "./order-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("atobarai.new"))("title") };
}

/**
 * 新規注文: one order registered by hand; it is screened shortly after, like one from the CSV or the API. A merchant
 * with test clocks may put the order on one (a sandbox order that moves on as the clock is advanced).
 */
export default async function NewAtobaraiOrderPage() {
  const { ctx } = await requireStaff();
  const t = await getTranslations("atobarai.new");
  const [account, clocks] = await Promise.all([getAtobaraiAccount(ctx), listTestClockSummaries(ctx)]);
  const format = await getFormatter();
  return (
    <AtobaraiPage title={t("title")} lead={t("lead")} tab="new">
      <OrderForm
        defaultDelivery={account?.settings.invoiceDelivery ?? "mail"}
        testClocks={clocks.map((clock) => ({ id: clock.id, label: `${clock.name ?? clock.id}（${format.dateTime(clock.frozenTime, { dateStyle: "medium", timeStyle: "short" })}）` }))}
      />
    </AtobaraiPage>
  );
}
