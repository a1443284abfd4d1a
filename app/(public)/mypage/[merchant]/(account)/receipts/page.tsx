import type { Metadata } from "next";
import Link from "next/link";
import { mypageTranslator, requireCustomer } from "@/lib/mypage/customer-context";
import { mypageFormat } from "@/lib/mypage/format";
import { mypagePath } from "@/lib/mypage/urls";
import { listMyInvoices } from "@/lib/services/queries/my-contracts";

type Props = { params: Promise<{ merchant: string }> };

export const metadata: Metadata = { title: mypageTranslator("ja")("receipts.title") };

/** A receipt for every paid invoice of the customer's, as a page and as a PDF. */
export default async function MyReceiptsPage({ params }: Props) {
  const merchantId = (await params).merchant;
  const { ctx, locale, session } = await requireCustomer(merchantId);
  const t = mypageTranslator(locale);
  const f = mypageFormat(locale, session.merchant.timeZone);
  const paid = await listMyInvoices(ctx, { paidOnly: true });
  return (
    <>
      <h1 className="text-2xl font-bold">{t("receipts.title")}</h1>
      {paid.length === 0 ? (
        <p className="text-sm text-slate-700">{t("receipts.empty")}</p>
      ) : (
        <table className="w-full rounded-lg bg-white text-sm">
          <thead>
            <tr className="border-b border-slate-300 text-left text-slate-600">
              <th scope="col" className="p-2 font-medium">{t("receipts.date")}</th>
              <th scope="col" className="p-2 text-right font-medium">{t("receipts.amount")}</th>
              <th scope="col" className="p-2"><span className="sr-only">{t("receipts.title")}</span></th>
            </tr>
          </thead>
          <tbody>
            {paid.map((invoice) => {
              const date = f.date(invoice.paidAt ?? invoice.createdAt);
              return (
                <tr key={invoice.id} className="border-b border-slate-100" data-testid="my-receipt">
                  <td className="p-2">{date}</td>
                  <td className="p-2 text-right tabular-nums">{f.money(invoice.total, invoice.currency)}</td>
                  <td className="flex justify-end gap-4 p-2">
                    <Link className="text-sky-800 underline" href={mypagePath(merchantId, `/receipts/${invoice.id}`)}>
                      {t("receipts.view", { date })}
                    </Link>
                    <a className="text-sky-800 underline" href={mypagePath(merchantId, `/receipts/${invoice.id}/pdf`)}>
                      {t("receipts.pdf", { date })}
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
