import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { getTranslations } from "next-intl/server";
import { CUSTOMER_MAIL_TEMPLATES } from "@/lib/billing/mail-template";
import { requireStaff } from "@/lib/console/staff-context";
import { DEFAULT_SUBJECTS } from "@/lib/mail/default-subjects";
import { variablesOf } from "@/lib/mail/mail-variables";
import { staffMay } from "@/lib/services/authorize";
import { getMailSettingsView } from "@/lib/services/queries/mail-settings";
import { searchSubscriptions } from "@/lib/services/queries/subscription-search";
import { MailEditor } from "./_components/mail-editor";
import { MailList, type MailListEntry } from "./_components/mail-list";
import { ProductPicker } from "./_components/product-picker";
import { SenderForm } from "./_components/sender-form";
import { loadMailSettingsParams } from "./search-params";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("mailSettings"))("title") };
}

/** メール設定: each mail's switch and wording for the merchant or one product, its preview and test send; the sender. */
export default async function MailSettingsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, staff } = await requireStaff();
  const params = await loadMailSettingsParams(searchParams);
  const [t, view] = await Promise.all([getTranslations("mailSettings"), getMailSettingsView(ctx)]);
  // An unknown product id in the URL falls back to the merchant's settings.
  const product = view.products.find((p) => p.id === params.product) ?? null;
  const template = params.event;
  const contracts = await searchSubscriptions(ctx, { productId: product?.id ?? null, perPage: 25 });
  const readOnlyReason = staffMay(staff.role, "settings.manage") ? null : t("editor.readOnly");

  const entries: MailListEntry[] = CUSTOMER_MAIL_TEMPLATES.map((name) => {
    const merchantSetting = view.merchant.mailSettings[name];
    const productSetting = product?.mailSettings[name];
    const enabled = productSetting?.enabled ?? merchantSetting?.enabled ?? true;
    const custom = Boolean(productSetting?.subject || productSetting?.body || merchantSetting?.subject || merchantSetting?.body);
    return { template: name, enabled, own: Boolean(productSetting), custom };
  });

  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      <ProductPicker products={view.products.map((p) => ({ id: p.id, name: p.name, active: p.active }))} value={product?.id ?? ""} />
      <div className="grid items-start gap-4 md:grid-cols-[15rem_1fr]">
        <MailList entries={entries} current={template} productId={product?.id ?? ""} />
        <MailEditor
          // A new mail or product starts the editor afresh from what is saved.
          key={`${product?.id ?? "merchant"}:${template}:${JSON.stringify(product?.mailSettings[template] ?? null)}:${JSON.stringify(view.merchant.mailSettings[template] ?? null)}`}
          template={template}
          product={product ? { id: product.id, name: product.name } : null}
          merchantSetting={view.merchant.mailSettings[template] ?? null}
          productSetting={product?.mailSettings[template] ?? null}
          defaultSubject={DEFAULT_SUBJECTS[template].ja}
          variables={variablesOf(template)}
          contracts={contracts.rows.map((c) => ({ id: c.id, customer: c.customerName, plan: c.planName ?? c.productName }))}
          readOnlyReason={readOnlyReason}
        />
      </div>
      <SenderForm
        key={`${view.merchant.senderName}:${view.merchant.replyTo}:${view.merchant.footer}`}
        initial={{ senderName: view.merchant.senderName ?? "", replyTo: view.merchant.replyTo ?? "", footer: view.merchant.footer ?? "" }}
        shopName={view.merchant.name}
        readOnlyReason={readOnlyReason}
      />
    </div>
  );
}
