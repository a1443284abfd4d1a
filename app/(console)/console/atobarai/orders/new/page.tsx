import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { getAtobaraiAccount } from "@/lib/services/queries/atobarai-orders";
import { AtobaraiPage } from "../../_components/atobarai-page";
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
    <AtobaraiPage title={t("title")} lead={t("lead")} tab="new">
      <OrderForm defaultDelivery={account?.settings.invoiceDelivery ?? "mail"} />
    </AtobaraiPage>
  );
}
