import type { Metadata } from "next";
import { createFormatter, NextIntlClientProvider } from "next-intl";
import { notFound, redirect } from "next/navigation";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatMoney } from "@/lib/billing/money";
import type { SubscriptionStatus } from "@/lib/billing/subscription-state";
import { customerTranslator, openSignedLink } from "@/lib/mypage/signed-link-context";
import { ServiceError } from "@/lib/services/errors";
import { getCardUpdateView } from "@/lib/services/queries/card-update";
import { MESSAGES } from "@/messages";
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
 * what is owed — and the gateway's card form (hosted fields, 3-D Secure when the issuer asks) that saves the card and
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
  const sandbox = opened.ctx.gateways.primary.name === "sandbox" && Boolean(opened.ctx.gateways.primary.testControls);

  return (
    <main lang={locale} className="mx-auto flex max-w-xl flex-col gap-6">
      <header className="flex flex-col gap-1">
        <p className="text-sm font-medium text-slate-600">{view.merchantName}</p>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-slate-700">{t("lead", { merchant: view.merchantName })}</p>
      </header>

      <section aria-labelledby="contract-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="contract-heading" className="mb-3 text-base font-semibold">
          {t("contract.heading")}
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-slate-600">{t("contract.service")}</dt>
          <dd>{view.productName}</dd>
          <dt className="text-slate-600">{t("contract.plan")}</dt>
          <dd>{view.planName}</dd>
          <dt className="text-slate-600">{t("contract.price")}</dt>
          <dd>
            {money(view.amount)} / {t(`interval.${view.interval}`)}
          </dd>
          <dt className="text-slate-600">{t("contract.status")}</dt>
          <dd>
            <Badge tone={TONE[view.status]} data-testid="contract-status">
              {t(`status.${view.status}`)}
            </Badge>
          </dd>
          {view.paidThrough ? (
            <>
              <dt className="text-slate-600">{t("contract.paidThrough")}</dt>
              <dd>{format.dateTime(view.paidThrough, { year: "numeric", month: "long", day: "numeric" })}</dd>
            </>
          ) : null}
          <dt className="text-slate-600">{t("contract.card")}</dt>
          <dd data-testid="card-on-file">
            {view.card ? (
              <span className="flex flex-wrap items-center gap-2">
                {t("contract.cardLine", { brand: view.card.brand.toUpperCase(), last4: view.card.last4, month: String(view.card.expMonth).padStart(2, "0"), year: String(view.card.expYear).slice(-2) })}
                {view.card.expiry !== "ok" ? <Badge tone={view.card.expiry === "expired" ? "danger" : "warning"}>{t(view.card.expiry === "expired" ? "contract.cardExpired" : "contract.cardExpiring")}</Badge> : null}
              </span>
            ) : (
              t("contract.noCard")
            )}
          </dd>
        </dl>
      </section>

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
        ) : !sandbox ? (
          <p className="text-sm text-slate-800">{t("errors.unavailable")}</p>
        ) : (
          <NextIntlClientProvider locale={locale} messages={{ cardUpdate: MESSAGES[locale].cardUpdate }} timeZone={view.timeZone}>
            <CardForm token={token} payLabel={view.owed ? money(view.owed.amount, view.owed.currency) : null} sandbox={sandbox} />
          </NextIntlClientProvider>
        )}
      </section>
    </main>
  );
}
