import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { mypageTranslator, requireCustomer } from "@/lib/mypage/customer-context";
import { mypageFormat, STATUS_TONE } from "@/lib/mypage/format";
import { mypagePath } from "@/lib/mypage/urls";
import { listMyContracts } from "@/lib/services/queries/my-contracts";

type Props = { params: Promise<{ merchant: string }> };

export const metadata: Metadata = { title: mypageTranslator("ja")("contracts.title") };

/** The customer's contracts: status in plain words, paid-through date, the next charge (date and amount). */
export default async function MyContractsPage({ params }: Props) {
  const merchantId = (await params).merchant;
  const { ctx, locale, session } = await requireCustomer(merchantId);
  const t = mypageTranslator(locale);
  const f = mypageFormat(locale, session.merchant.timeZone);
  const contracts = await listMyContracts(ctx);
  return (
    <>
      <h1 className="text-2xl font-bold">{t("contracts.title")}</h1>
      {contracts.length === 0 ? <p className="text-sm text-slate-700">{t("contracts.empty")}</p> : null}
      <ul className="flex flex-col gap-4">
        {contracts.map((c) => {
          const sub = c.subscription;
          return (
            <li key={sub.id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="my-contract">
              <h2 className="text-lg font-semibold">
                {c.plan.productName}（{c.plan.name}）
              </h2>
              <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
                <dt className="text-slate-600">{t("contracts.status")}</dt>
                <dd>
                  <Badge tone={STATUS_TONE[sub.status]} data-testid="my-contract-status">
                    {t(`status.${sub.status}`)}
                  </Badge>
                  {sub.cancelAtPeriodEnd && sub.paidThrough ? <span className="ml-2 text-slate-700">{t("contracts.endsAt", { date: f.date(sub.paidThrough) })}</span> : null}
                </dd>
                <dt className="text-slate-600">{t("contracts.price")}</dt>
                <dd>{t("contracts.priceValue", { amount: f.money(c.plan.amount, c.plan.currency), interval: t(`interval.${c.plan.interval}`) })}</dd>
                {sub.paidThrough ? (
                  <>
                    <dt className="text-slate-600">{t("contracts.paidThrough")}</dt>
                    <dd>{t("contracts.paidThroughValue", { date: f.date(sub.paidThrough) })}</dd>
                  </>
                ) : null}
                <dt className="text-slate-600">{t("contracts.nextCharge")}</dt>
                <dd data-testid="my-contract-next">
                  {c.nextCharge ? t("contracts.nextChargeValue", { date: f.date(c.nextCharge.at), amount: f.money(c.nextCharge.total, c.nextCharge.currency) }) : t("contracts.noNextCharge")}
                </dd>
              </dl>
              <p className="mt-3">
                <Link className="text-sm font-medium text-sky-800 underline" href={mypagePath(merchantId, `/contracts/${sub.id}`)}>
                  {t("contracts.open", { plan: c.plan.name })}
                </Link>
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
}
