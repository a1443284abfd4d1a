import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { getDatabase } from "@/lib/runtime";
import { loadCheckoutPage } from "@/lib/services/queries/checkout-links";

export const dynamic = "force-dynamic";

export default async function CheckoutComplete({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const page = await loadCheckoutPage((await getDatabase()).db, id, new Date());
  if (!page) notFound();
  const t = await getTranslations("checkout.complete");
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-3 px-4 py-12">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p>{t("body", { merchant: page.merchant.name, product: page.product.name })}</p>
    </main>
  );
}
