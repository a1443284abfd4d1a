import type { Metadata } from "next";
import { TokushohoForm } from "@/components/console/tokushoho-form";
import { getTranslations } from "next-intl/server";
import { checkoutLinkUrl } from "@/lib/api/objects/checkout-links";
import { formatMoney } from "@/lib/billing/money";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { listCheckoutLinksWithPlans, listCheckoutPlanChoices } from "@/lib/services/queries/checkout-links";
import { getTokushohoUrl } from "@/lib/services/queries/merchant";
import { CreateLinkDialog, type PlanGroup } from "./_components/create-link-dialog";
import { LinksTable, type LinkRow } from "./_components/links-table";
import { saveTokushohoUrlAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("checkoutLinks"))("title") };
}

/** チェックアウトリンク: the merchant's links to hosted sign-up pages, a form to make one, and the 特商法 URL they show. */
export default async function CheckoutLinksPage() {
  const { ctx, staff } = await requireStaff();
  const [t, tBilling, links, choices, tokushohoUrl] = await Promise.all([
    getTranslations("checkoutLinks"),
    getTranslations("billing"),
    listCheckoutLinksWithPlans(ctx),
    listCheckoutPlanChoices(ctx),
    getTokushohoUrl(ctx),
  ]);
  const money = (amount: number, currency: string) => formatMoney({ amount, currency });

  const rows: LinkRow[] = links.map(({ link, planName, productName, amount, currency, interval }) => ({
    id: link.id,
    url: checkoutLinkUrl(ctx.links.baseUrl, link.id),
    productName,
    planName,
    price: `${money(amount, currency)} / ${tBilling(`interval.${interval}`)}`,
    collect: link.collect,
    successUrl: link.successUrl,
    createdAt: link.createdAt,
    active: link.active,
  }));

  const groups: PlanGroup[] = [];
  for (const plan of choices) {
    let group = groups.at(-1);
    if (group?.productId !== plan.productId) groups.push((group = { productId: plan.productId, productName: plan.productName, plans: [] }));
    group.plans.push({ id: plan.id, label: t("create.planOption", { plan: plan.name ?? plan.productName, amount: money(plan.amount, plan.currency), interval: tBilling(`interval.${plan.interval}`) }) });
  }

  const createReason = !staffMay(staff.role, "checkout_links.manage") ? t("create.readOnly") : groups.length === 0 ? t("create.noPlans") : null;
  const settingsReason = staffMay(staff.role, "settings.manage") ? null : t("tokushoho.readOnly");

  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
        </div>
        <CreateLinkDialog groups={groups} disabledReason={createReason} />
      </header>
      {rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
          <p className="text-sm text-slate-700">{groups.length === 0 ? t("list.emptyNoPlans") : t("list.empty")}</p>
        </div>
      ) : (
        <LinksTable rows={rows} manageReason={staffMay(staff.role, "checkout_links.manage") ? null : t("list.readOnly")} />
      )}
      <TokushohoForm key={tokushohoUrl ?? ""} initial={tokushohoUrl ?? ""} readOnlyReason={settingsReason} save={saveTokushohoUrlAction} />
    </div>
  );
}
