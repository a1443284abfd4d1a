import { getTranslations } from "next-intl/server";

export default async function CheckoutNotFound() {
  const t = await getTranslations("checkout");
  return (
    <main className="mx-auto max-w-2xl px-4 py-12">
      <h1 className="text-xl font-semibold">{t("notFound")}</h1>
    </main>
  );
}
