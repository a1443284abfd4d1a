import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { getAtobaraiAccount } from "@/lib/services/queries/atobarai-orders";
import { AtobaraiTabs } from "../../_components/atobarai-tabs";
import { OrderForm } from "./order-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("atobarai.new"))("title") };
}

/** 新規注文: one order registered by hand; it is screened shortly after, like one from the CSV or the API. */
export default async function NewAtobaraiOrderPage() {
  const { ctx } = await requireStaff();
  const t = await getTranslations("atobarai.new");
  const account = await getAtobaraiAccount(ctx);
  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      <AtobaraiTabs current="new" />
      <OrderForm defaultDelivery={account?.settings.invoiceDelivery ?? "mail"} />
    </div>
  );
}
