import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { ServiceError } from "@/lib/services/errors";
import { getPlanFormContext } from "@/lib/services/queries/catalogue";
import { PlanForm } from "../../../_components/plan-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("catalogue.form"))("title") };
}

/** プランを追加: the form with its live explanation. Only for those who may change the catalogue, on an offered product. */
export default async function NewPlanPage({ params }: { params: Promise<{ productId: string }> }) {
  const { productId } = await params;
  const { ctx, staff } = await requireStaff();
  const form = await getPlanFormContext(ctx, productId).catch((error: unknown) => {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  });
  const [t, tCatalogue] = await Promise.all([getTranslations("catalogue.form"), getTranslations("catalogue")]);
  // The list shows the button disabled with its reason; a typed URL gets the same reason instead of the form.
  const refusal = !staffMay(staff.role, "catalogue.manage") ? tCatalogue("readOnly") : !form.product.active ? t("productArchived") : null;
  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <header className="flex flex-col gap-2">
        <Link href="/console/catalogue" className="inline-flex items-center gap-1 text-sm text-sky-800 underline">
          <ArrowLeft className="h-4 w-4" aria-hidden />
          {t("back")}
        </Link>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="max-w-3xl text-sm text-slate-600">{t("lead", { product: form.product.name })}</p>
      </header>
      {refusal === null ? (
        <PlanForm productId={form.product.id} productName={form.product.name} currency={form.currency} timeZone={form.timeZone} settings={form.billingSettings} nowIso={ctx.clock.now().toISOString()} />
      ) : (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          {refusal}
        </p>
      )}
    </div>
  );
}
