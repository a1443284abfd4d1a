import type { Metadata } from "next";
import { createFormatter, NextIntlClientProvider } from "next-intl";
import { notFound, redirect } from "next/navigation";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatMoney } from "@/lib/billing/money";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import { customerTranslator, openSignedLink } from "@/lib/mypage/signed-link-context";
import { ServiceError } from "@/lib/services/errors";
import { cardFormFor } from "@/lib/services/queries/card-form";
import { getCardUpdateView } from "@/lib/services/queries/card-update";
import { MESSAGES } from "@/messages";
import { DetailsCard, LinkPageHeader } from "../../_components/link-page";
import { CardForm } from "./_components/card-form";

type Props = { searchParams: Promise<{ token?: string | string[] }> };

const TONE: Record<SubscriptionStatus, BadgeTone> = {
  active: "success",
  trialing: "info",
  past_due: "warning",
  unpaid: "danger",
  paused: "neutral",
  incomplete: "warning",
  canceled: "muted",
  withdrawn: "muted",
};

const tokenOf = async (searchParams: Props["searchParams"]) => {
  const { token } = await searchParams;
  return typeof token === "string" ? token : "";
};

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const opened = await openSignedLink("card_update", await tokenOf(searchParams));
  return { title: customerTranslator(opened.ok ? opened.locale : "ja", "cardUpdate")("title") };
}

/**
 * The card page of a signed link (the mails' card_update_url): the customer's contract — merchant, plan, status,
 * what is owed — and the merchant's card form (cardFormFor: the sandbox's hosted fields or Stripe's Payment Element, 3-D Secure when the issuer asks) that saves the card and
 * pays what is owed at once. An ended contract says its card cannot be changed. An invalid link answers 404; an expired one is sent to /mypage/card/expired (also 404).
 */
export default async function CardUpdatePage({ searchParams }: Props) {
  const token = await tokenOf(searchParams);
  const opened = await openSignedLink("card_update", token);
  if (!opened.ok) {
    if (opened.reason === "expired") redirect("/mypage/card/expired");
    notFound();
  }
  const view = await getCardUpdateView(opened.ctx, opened.subjectId).catch((error: unknown) => {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  });
  const { locale } = opened;
  const t = customerTranslator(locale, "cardUpdate");
  const format = createFormatter({ locale, timeZone: view.timeZone });
  const money = (amount: number, currency = view.currency) => formatMoney({ amount, currency });
  const cardForm = await cardFormFor(opened.ctx, opened.ctx.merchantId, { customerId: view.customerId });

  return (
    <main lang={locale} className="mx-auto flex max-w-xl flex-col gap-6">
      <LinkPageHeader merchant={view.merchantName} title={t("title")} lead={t("lead", { merchant: view.merchantName })} />

      <DetailsCard
        id="contract-heading"
        heading={t("contract.heading")}
        rows={[
          { label: t("contract.service"), value: view.productName },
          { label: t("contract.plan"), value: view.planName },
          { label: t("contract.price"), value: `${money(view.amount)} / ${t(`interval.${view.interval}`)}` },
          {
            label: t("contract.status"),
            value: (
              <Badge tone={TONE[view.status]} data-testid="contract-status">
                {t(`status.${view.status}`)}
              </Badge>
            ),
          },
          view.paidThrough ? { label: t("contract.paidThrough"), value: format.dateTime(view.paidThrough, { year: "numeric", month: "long", day: "numeric" }) } : null,
          {
            label: t("contract.card"),
            testId: "card-on-file",
            value: view.card ? (
              <span className="flex flex-wrap items-center gap-2">
                {t("contract.cardLine", { brand: view.card.brand.toUpperCase(), last4: view.card.last4, month: String(view.card.expMonth).padStart(2, "0"), year: String(view.card.expYear).slice(-2) })}
                {view.card.expiry !== "ok" ? <Badge tone={view.card.expiry === "expired" ? "danger" : "warning"}>{t(view.card.expiry === "expired" ? "contract.cardExpired" : "contract.cardExpiring")}</Badge> : null}
              </span>
            ) : (
              t("contract.noCard")
            ),
          },
        ]}
      />

      {view.owed ? (
        <section aria-labelledby="owed-heading" className="rounded-lg border border-amber-300 bg-amber-50 p-5 text-amber-950" data-testid="owed">
          <h2 id="owed-heading" className="mb-1 text-base font-semibold">
            {t("owed.heading")}
          </h2>
          <p className="text-sm">{t("owed.text", { amount: money(view.owed.amount, view.owed.currency) })}</p>
        </section>
      ) : null}

      <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        {!view.changeable ? (
          <p className="text-sm text-slate-800" data-testid="card-not-changeable">
            {t("ended", { status: t(`status.${view.status}`), merchant: view.merchantName })}
          </p>
        ) : (
          <NextIntlClientProvider locale={locale} messages={{ cardUpdate: MESSAGES[locale].cardUpdate, cardFields: MESSAGES[locale].cardFields }} timeZone={view.timeZone}>
            <CardForm token={token} payLabel={view.owed ? money(view.owed.amount, view.owed.currency) : null} cardForm={cardForm} />
          </NextIntlClientProvider>
        )}
      </section>
    </main>
  );
}
