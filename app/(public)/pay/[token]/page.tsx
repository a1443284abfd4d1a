import type { Metadata } from "next";
import { createFormatter, NextIntlClientProvider } from "next-intl";
import { notFound } from "next/navigation";
import { formatMoney } from "@/lib/billing/money";
import { customerTranslator, openSignedLink } from "@/lib/mypage/signed-link-context";
import { getPaymentAuthenticationView } from "@/lib/services/complete-payment-authentication";
import { ServiceError } from "@/lib/services/errors";
import { MESSAGES } from "@/messages";
import { DetailsCard, LinkPageHeader } from "../../_components/link-page";
import { AuthenticatePayment } from "./_components/authenticate-payment";

type Props = { params: Promise<{ token: string }>; searchParams: Promise<{ authentication?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const opened = await openSignedLink("payment_authentication", (await params).token);
  return { title: customerTranslator(opened.ok ? opened.locale : "ja", "payment")("title") };
}

const DATE = { year: "numeric", month: "long", day: "numeric" } as const;

/**
 * 本人認証によるお支払い: the page of a payment_authentication mail's signed link. The invoice whose charge the card's
 * issuer would take only with the customer present — merchant, amount, period — and a button that opens the issuer's
 * authentication (the sandbox's challenge in a frame, Stripe's 3-D Secure page and back through ./return); the charge
 * it authenticates is the declined one, never a new one. A paid invoice says so; an ended contract or a written-off
 * invoice says it cannot be paid here. An invalid link answers 404 (layout.tsx); an expired one too, saying so.
 */
export default async function PaymentAuthenticationPage({ params, searchParams }: Props) {
  const { token } = await params;
  const opened = await openSignedLink("payment_authentication", token);
  if (!opened.ok) notFound();
  const view = await getPaymentAuthenticationView(opened.ctx, opened.subjectId).catch((error: unknown) => {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  });
  const { locale } = opened;
  const t = customerTranslator(locale, "payment");
  const format = createFormatter({ locale, timeZone: view.timeZone });
  const returned = (await searchParams).authentication;
  const returnedError = returned === "failed" ? t("errors.notAuthenticated") : returned === "pending" ? t("errors.inProgress") : null;
  const sandbox = opened.ctx.gateways.primary.name === "sandbox" && Boolean(opened.ctx.gateways.primary.testControls);

  return (
    <main lang={locale} className="mx-auto flex max-w-xl flex-col gap-6">
      <LinkPageHeader merchant={view.merchantName} title={t("title")} lead={view.state === "awaiting" ? t("lead", { merchant: view.merchantName }) : null} />

      <DetailsCard
        id="invoice-heading"
        heading={t("invoice.heading")}
        rows={[
          { label: t("invoice.merchant"), value: view.merchantName },
          { label: t("invoice.service"), value: view.productName },
          view.planName ? { label: t("invoice.plan"), value: view.planName } : null,
          { label: t("invoice.amount"), value: formatMoney({ amount: view.amount, currency: view.currency }), testId: "payment-amount", strong: true },
          view.periodStart && view.periodEnd
            ? { label: t("invoice.period"), value: t("invoice.periodValue", { start: format.dateTime(view.periodStart, DATE), end: format.dateTime(view.periodEnd, DATE) }), testId: "payment-period" }
            : null,
        ]}
      />

      <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        {view.state === "awaiting" ? (
          <NextIntlClientProvider locale={locale} messages={{ payment: MESSAGES[locale].payment }} timeZone={view.timeZone}>
            <AuthenticatePayment token={token} sandbox={sandbox} returnedError={returnedError} />
          </NextIntlClientProvider>
        ) : (
          <div role="status" className="flex flex-col gap-1" data-testid={`payment-${view.state}`}>
            <h2 className="text-base font-semibold">{t(`${view.state}.title`)}</h2>
            <p className="text-sm text-slate-700">{t(`${view.state}.text`, { merchant: view.merchantName })}</p>
          </div>
        )}
      </section>
    </main>
  );
}
