import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { TokushohoForm } from "@/components/console/tokushoho-form";
import { Card, CardTitle } from "@/components/ui/card";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { getBillingSettingsView } from "@/lib/services/queries/billing-settings";
import { cardFormFor } from "@/lib/services/queries/card-form";
import { stripeWebhookUrl } from "@/lib/services/queries/gateway-events";
import { getStripeCredentialsView } from "@/lib/services/queries/stripe-credentials";
import { CardWindowForm } from "./_components/card-window-form";
import { CollectionForm } from "./_components/collection-form";
import { MypagePolicyForm } from "./_components/mypage-policy-form";
import { RegistrationNumberForm } from "./_components/registration-number-form";
import { StripeCredentialsSection } from "./_components/stripe-credentials-section";
import { TimeZoneForm } from "./_components/time-zone-form";
import { saveTokushohoUrl } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("billingSettings"))("title") };
}

/**
 * 請求設定: retries and dunning (with their timeline and a preview of the contracts re-planned), the card-on-file
 * window, the mypage policy, the 特商法 URL, the registration number, the time zone and the Stripe account's keys,
 * each a form of its own.
 */
export default async function BillingSettingsPage() {
  const { ctx, staff } = await requireStaff();
  const [t, view, stripe, cardForm] = await Promise.all([getTranslations("billingSettings"), getBillingSettingsView(ctx), getStripeCredentialsView(ctx), cardFormFor(ctx, ctx.merchantId).catch(() => null)]);
  // cardForm is null when the merchant's keys cannot be opened (another KEIZOKU_ENCRYPTION_KEY): this page is where they are entered again.
  const readOnlyReason = staffMay(staff.role, "settings.manage") ? null : t("readOnly");
  const { retryScheduleDays, dunning, cardOnFileWindowDays } = view.billingSettings;
  const zones = Intl.supportedValuesOf("timeZone");
  if (!zones.includes(view.timeZone)) zones.unshift(view.timeZone);

  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
        {readOnlyReason ? (
          <p className="mt-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="read-only-notice">
            {readOnlyReason}
          </p>
        ) : null}
      </header>
      <CollectionForm saved={{ retryScheduleDays, dunning }} readOnlyReason={readOnlyReason} atobaraiOn={view.atobaraiOn} />
      <div className="grid items-start gap-5 lg:grid-cols-2">
        <CardWindowForm initial={cardOnFileWindowDays} readOnlyReason={readOnlyReason} />
        <MypagePolicyForm initial={view.mypagePolicy} readOnlyReason={readOnlyReason} />
        <RegistrationNumberForm initial={view.invoiceRegistrationNumber} readOnlyReason={readOnlyReason} />
        <TimeZoneForm initial={view.timeZone} zones={zones} readOnlyReason={readOnlyReason} />
        <TokushohoForm initial={view.tokushohoUrl ?? ""} readOnlyReason={readOnlyReason} save={saveTokushohoUrl} />
        <StripeCredentialsSection view={stripe} readOnlyReason={readOnlyReason} webhookUrl={stripeWebhookUrl(ctx)} publishableKeyNeeded={cardForm?.kind === "unavailable"} />
        <Card aria-labelledby="mail-sender-title">
          <CardTitle id="mail-sender-title">{t("mail.heading")}</CardTitle>
          <p className="mb-3 text-sm text-slate-600">{t("mail.lead")}</p>
          <Link href="/console/settings/mail" className="text-sm font-medium text-sky-800 underline">
            {t("mail.link")}
          </Link>
        </Card>
      </div>
    </div>
  );
}
