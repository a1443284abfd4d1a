import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MypageForm } from "@/components/mypage/mypage-form";
import { Badge } from "@/components/ui/badge";
import { Label, NativeSelect, Textarea } from "@/components/ui/input";
import { signLinkToken } from "@/lib/auth/signed-link";
import { mypageTranslator, requireCustomer } from "@/lib/mypage/customer-context";
import { mypageFormat, STATUS_TONE } from "@/lib/mypage/format";
import { mypagePath } from "@/lib/mypage/urls";
import { ServiceError } from "@/lib/services/errors";
import { CANCEL_REASONS } from "@/lib/services/mypage/cancel-my-contract";
import { getMyContract, listMyInvoices } from "@/lib/services/queries/my-contracts";
import { cancelContract, pauseContract, resumeContract } from "../../actions";

type Props = { params: Promise<{ merchant: string; id: string }> };

export const metadata: Metadata = { title: mypageTranslator("ja")("contracts.title") };

/** How long the card link made for the signed-in customer lasts: long enough to type a card. */
const CARD_LINK_MINUTES = 60;

/**
 * One contract of the customer's: what happened (payments, with receipts) and what is next (the next charge or the
 * end), the card and its change, and cancel / resume / pause as the merchant's policy allows. Another customer's id
 * answers 404.
 */
export default async function MyContractPage({ params }: Props) {
  const { merchant: merchantId, id } = await params;
  const { ctx, locale, session } = await requireCustomer(merchantId);
  const contract = await getMyContract(ctx, id).catch((error: unknown) => {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  });
  const t = mypageTranslator(locale);
  const f = mypageFormat(locale, session.merchant.timeZone);
  const sub = contract.subscription;
  const { actions } = contract;
  const history = await listMyInvoices(ctx, { subscriptionId: sub.id });
  const ended = sub.status === "canceled" || sub.status === "withdrawn";
  // The card page of the signed links (app/(public)/mypage/card), opened for this contract by a short-lived link.
  const cardToken = ended
    ? null
    : await signLinkToken(ctx.links.secret, { purpose: "card_update", subject: sub.id, merchantId, expiresAt: new Date(ctx.clock.now().getTime() + CARD_LINK_MINUTES * 60_000) });
  const periodEnd = sub.paidThrough ? f.date(sub.paidThrough) : null;
  const cancelSummary = actions.cancel.periodEnd && periodEnd ? t("cancel.confirmPeriodEnd", { date: periodEnd }) : t("cancel.confirmNow");
  const box = "rounded-lg border border-slate-200 bg-white p-5 shadow-sm";

  return (
    <>
      <p>
        <Link className="text-sm text-sky-800 underline" href={mypagePath(merchantId)}>
          {t("contract.back")}
        </Link>
      </p>
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">
          {contract.plan.productName}（{contract.plan.name}）
        </h1>
        <Badge tone={STATUS_TONE[sub.status]} data-testid="my-contract-status">
          {t(`status.${sub.status}`)}
        </Badge>
      </header>

      <section aria-labelledby="next-heading" className={box}>
        <h2 id="next-heading" className="mb-2 text-base font-semibold">
          {t("contract.next")}
        </h2>
        <p className="text-sm" data-testid="my-contract-next">
          {ended
            ? t("contract.ended")
            : sub.cancelAtPeriodEnd && periodEnd
              ? t("contract.ending", { date: periodEnd })
              : contract.nextCharge
                ? t("contract.nextPlanned", { date: f.date(contract.nextCharge.at), amount: f.money(contract.nextCharge.total, contract.nextCharge.currency) })
                : t("contract.nothingNext")}
        </p>
        {contract.owedInvoice ? <p className="mt-2 text-sm text-amber-900">{t("contract.owed", { amount: f.money(contract.owedInvoice.total, contract.owedInvoice.currency) })}</p> : null}
      </section>

      <section aria-labelledby="card-heading" className={box}>
        <h2 id="card-heading" className="mb-2 text-base font-semibold">
          {t("contract.card")}
        </h2>
        <p className="text-sm" data-testid="my-card">
          {contract.card
            ? t("contract.cardLine", { brand: contract.card.brand.toUpperCase(), last4: contract.card.last4, month: String(contract.card.expMonth).padStart(2, "0"), year: String(contract.card.expYear).slice(-2) })
            : t("contract.noCard")}
        </p>
        {cardToken ? (
          <p className="mt-3">
            <Link className="text-sm font-medium text-sky-800 underline" href={`/mypage/card?token=${cardToken}`}>
              {t("contract.changeCard")}
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="history-heading" className={box}>
        <h2 id="history-heading" className="mb-2 text-base font-semibold">
          {t("contract.history")}
        </h2>
        {history.length === 0 ? (
          <p className="text-sm text-slate-700">{t("contract.historyEmpty")}</p>
        ) : (
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b border-slate-300 text-left text-slate-600">
                <th scope="col" className="py-1 font-medium">{t("contract.date")}</th>
                <th scope="col" className="py-1 text-right font-medium">{t("contract.amount")}</th>
                <th scope="col" className="py-1 pl-4 font-medium">{t("contracts.status")}</th>
                <th scope="col" className="py-1"><span className="sr-only">{t("contract.receipt")}</span></th>
              </tr>
            </thead>
            <tbody>
              {history.map((invoice) => (
                <tr key={invoice.id} className="border-b border-slate-100">
                  <td className="py-1.5">{f.date(invoice.paidAt ?? invoice.createdAt)}</td>
                  <td className="py-1.5 text-right tabular-nums">{f.money(invoice.total, invoice.currency)}</td>
                  <td className="py-1.5 pl-4">{t(`contract.invoiceStatus.${invoice.status as "paid"}`)}</td>
                  <td className="py-1.5 text-right">
                    {invoice.status === "paid" ? (
                      <Link className="text-sky-800 underline" href={mypagePath(merchantId, `/receipts/${invoice.id}`)}>
                        {t("contract.receipt")}
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {actions.resume.enabled && actions.resume.mode ? (
        <section aria-labelledby="resume-heading" className={box}>
          <h2 id="resume-heading" className="mb-2 text-base font-semibold">
            {t("resume.title")}
          </h2>
          <p className="text-sm">{t(`resume.${actions.resume.mode}`)}</p>
          {actions.resume.charge && actions.resume.mode !== "restore" ? (
            <p className="mb-3 text-sm font-medium" data-testid="resume-charge">
              {actions.resume.charge.at
                ? t("resume.chargeAt", { date: f.date(actions.resume.charge.at), amount: f.money(actions.resume.charge.total, actions.resume.charge.currency) })
                : t("resume.chargeNow", { amount: f.money(actions.resume.charge.total, actions.resume.charge.currency) })}
            </p>
          ) : null}
          <MypageForm action={resumeContract.bind(null, merchantId, sub.id)} submitLabel={t("resume.submit")} testId="resume" />
        </section>
      ) : null}

      {actions.pause.enabled ? (
        <section aria-labelledby="pause-heading" className={box}>
          <h2 id="pause-heading" className="mb-2 text-base font-semibold">
            {t("pause.title")}
          </h2>
          <p className="mb-3 text-sm">{t("pause.lead")}</p>
          <MypageForm
            action={pauseContract.bind(null, merchantId, sub.id)}
            submitLabel={t("pause.submit")}
            variant="secondary"
            testId="pause"
            confirm={{ title: t("pause.confirmTitle"), body: t("pause.confirmBody"), confirmLabel: t("pause.confirmSubmit"), backLabel: t("confirmBack") }}
          />
        </section>
      ) : null}

      {actions.cancel.enabled ? (
        <section aria-labelledby="cancel-heading" className={box}>
          <h2 id="cancel-heading" className="mb-2 text-base font-semibold">
            {t("cancel.title")}
          </h2>
          <MypageForm
            action={cancelContract.bind(null, merchantId, sub.id)}
            submitLabel={t("cancel.submit")}
            variant="danger"
            testId="cancel"
            hideWhenDone
            confirm={{
              title: t("cancel.confirmTitle"),
              body: cancelSummary,
              byField: { name: "when", bodies: { period_end: periodEnd ? t("cancel.confirmPeriodEnd", { date: periodEnd }) : t("cancel.periodEndNoDate"), now: t("cancel.confirmNow") } },
              confirmLabel: t("cancel.confirmSubmit"),
              backLabel: t("confirmBack"),
            }}
          >
            <div className="flex flex-col gap-1">
              <Label htmlFor="cancel-reason">{t("cancel.reason")}</Label>
              <NativeSelect id="cancel-reason" name="reason" required defaultValue="">
                <option value="" disabled>
                  —
                </option>
                {CANCEL_REASONS.map((reason) => (
                  <option key={reason} value={reason}>
                    {t(`cancel.reasons.${reason}`)}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="cancel-comment">{t("cancel.comment")}</Label>
              <Textarea id="cancel-comment" name="comment" maxLength={1000} />
            </div>
            {actions.cancel.periodEnd && actions.cancel.immediate ? (
              <fieldset className="flex flex-col gap-1 text-sm">
                <legend className="mb-1 font-medium text-slate-800">{t("cancel.when")}</legend>
                <label className="flex items-center gap-2">
                  <input type="radio" name="when" value="period_end" defaultChecked />
                  {periodEnd ? t("cancel.periodEnd", { date: periodEnd }) : t("cancel.periodEndNoDate")}
                </label>
                <label className="flex items-center gap-2">
                  <input type="radio" name="when" value="now" />
                  {t("cancel.immediately")}
                </label>
              </fieldset>
            ) : (
              <input type="hidden" name="when" value={!actions.cancel.periodEnd && actions.cancel.immediate ? "now" : "period_end"} />
            )}
            <p className="text-sm text-slate-800" data-testid="cancel-summary">
              {cancelSummary}
            </p>
          </MypageForm>
        </section>
      ) : null}
    </>
  );
}
