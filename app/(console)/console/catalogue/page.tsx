import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { DisabledReason } from "@/components/ui/tooltip";
import { formatMoney } from "@/lib/billing/money";
import { isWeekInterval } from "@/lib/billing/plan";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { listCatalogue } from "@/lib/services/queries/catalogue";
import { ArchivePlanButton } from "./_components/archive-plan-button";
import { ProductDialog } from "./_components/product-dialog";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("catalogue"))("title") };
}

/** 商品とプラン: each product with its plans; owners and admins create, edit and archive, others read. */
export default async function CataloguePage() {
  const { ctx, staff } = await requireStaff();
  const [t, tBilling, tCheckout, format, catalogue] = await Promise.all([getTranslations("catalogue"), getTranslations("billing"), getTranslations("checkout"), getFormatter(), listCatalogue(ctx)]);
  const readOnly = staffMay(staff.role, "catalogue.manage") ? null : t("readOnly");
  const date = (local: string) => format.dateTime(new Date(`${local}T00:00:00Z`), { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">{t("lead")}</p>
        </div>
        <ProductDialog disabledReason={readOnly} />
      </header>
      {catalogue.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
          <p className="text-sm text-slate-700">{readOnly ? t("emptyReadOnly") : t("empty")}</p>
        </div>
      ) : (
        catalogue.map(({ product, plans }) => {
          const addReason = readOnly ?? (product.active ? null : t("product.archivedNote"));
          return (
            <section key={product.id} aria-labelledby={`product-${product.id}`} data-testid={`product-${product.id}`} className="rounded-lg border border-slate-200 bg-white">
              <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 p-4">
                <div className="min-w-0">
                  <h2 id={`product-${product.id}`} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
                    {product.name}
                    <Badge tone={product.active ? "success" : "neutral"}>{product.active ? t("product.active") : t("product.archived")}</Badge>
                  </h2>
                  {product.description ? <p className="mt-1 text-sm whitespace-pre-line text-slate-600">{product.description}</p> : null}
                </div>
                <div className="flex flex-wrap gap-2">
                  <ProductDialog product={{ id: product.id, name: product.name, description: product.description, active: product.active }} disabledReason={readOnly} />
                  <DisabledReason reason={addReason}>
                    {addReason ? (
                      <Button size="sm" disabled>
                        <Plus className="h-4 w-4" aria-hidden />
                        {t("plan.add")}
                      </Button>
                    ) : (
                      <Button size="sm" asChild>
                        <Link href={`/console/catalogue/${product.id}/plans/new`} aria-label={t("plan.addLabel", { product: product.name })}>
                          <Plus className="h-4 w-4" aria-hidden />
                          {t("plan.add")}
                        </Link>
                      </Button>
                    )}
                  </DisabledReason>
                </div>
              </div>
              {plans.length === 0 ? (
                <p className="p-4 text-sm text-slate-600">{t("product.noPlans")}</p>
              ) : (
                <div className="overflow-x-auto">
                  <Table>
                    <caption className="sr-only">{t("plan.caption", { product: product.name })}</caption>
                    <THead>
                      <tr>
                        <TH scope="col">{t("plan.name")}</TH>
                        <TH scope="col">{t("plan.price")}</TH>
                        <TH scope="col">{t("plan.billingDay")}</TH>
                        <TH scope="col">{t("plan.trial")}</TH>
                        <TH scope="col">{t("plan.joiningFee")}</TH>
                        <TH scope="col">{t("plan.status")}</TH>
                        <TH scope="col">
                          <span className="sr-only">{t("plan.actions")}</span>
                        </TH>
                      </tr>
                    </THead>
                    <TBody>
                      {plans.map((plan) => {
                        const name = plan.name ?? product.name;
                        const money = (amount: number) => formatMoney({ amount, currency: plan.currency });
                        const billingDay =
                          plan.billingDay === null
                            ? t("plan.signupDay")
                            : isWeekInterval(plan.interval)
                              ? t("plan.weekday", { weekday: tCheckout(`weekdays.${String(plan.billingDay) as "0"}`) })
                              : plan.billingDay >= 31
                                ? t("plan.monthEnd")
                                : t("plan.monthDay", { day: plan.billingDay });
                        const trial = plan.trialDays ? t("plan.trialDays", { days: plan.trialDays }) : plan.trialUntil ? t("plan.trialUntil", { date: date(plan.trialUntil) }) : t("plan.none");
                        return (
                          <TR key={plan.id} data-testid={`plan-${plan.id}`}>
                            <TD className="font-medium">{name}</TD>
                            <TD className="whitespace-nowrap">
                              {money(plan.amount)} / {tBilling(`interval.${plan.interval}`)}
                              <span className="ml-1 text-xs text-slate-600">
                                （{plan.taxBehavior === "inclusive" ? t("plan.tax") : t("plan.taxExclusive")} {plan.taxRate}%）
                              </span>
                            </TD>
                            <TD>{billingDay}</TD>
                            <TD>{trial}</TD>
                            <TD>{plan.joiningFee > 0 ? money(plan.joiningFee) : t("plan.none")}</TD>
                            <TD>
                              <Badge tone={plan.active ? "success" : "neutral"}>{plan.active ? t("plan.active") : t("plan.archived")}</Badge>
                            </TD>
                            <TD className="text-right">{plan.active ? <ArchivePlanButton planId={plan.id} plan={name} disabledReason={readOnly} /> : null}</TD>
                          </TR>
                        );
                      })}
                    </TBody>
                  </Table>
                </div>
              )}
            </section>
          );
        })
      )}
    </div>
  );
}
