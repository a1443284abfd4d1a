import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PrintButton } from "@/components/receipt/print-button";
import { ReceiptDocument } from "@/components/receipt/receipt-document";
import { Button } from "@/components/ui/button";
import { mypageTranslator, requireCustomer } from "@/lib/mypage/customer-context";
import { customerTranslator } from "@/lib/mypage/signed-link-context";
import { mypagePath } from "@/lib/mypage/urls";
import { getReceipt } from "@/lib/services/queries/receipt";

type Props = { params: Promise<{ merchant: string; id: string }> };

export const metadata: Metadata = { title: mypageTranslator("ja")("receipts.title") };

/** One receipt, drawn as the receipt link's page draws it; another customer's invoice (or an unpaid one) is a 404. */
export default async function MyReceiptPage({ params }: Props) {
  const { merchant: merchantId, id } = await params;
  const { ctx, locale } = await requireCustomer(merchantId);
  const view = await getReceipt(ctx, id);
  if (!view) notFound();
  const t = mypageTranslator(locale);
  return (
    <>
      <p className="print:hidden">
        <Link className="text-sm text-sky-800 underline" href={mypagePath(merchantId, "/receipts")}>
          {t("receipts.back")}
        </Link>
      </p>
      <ReceiptDocument
        as="article"
        view={view}
        locale={locale}
        actions={
          <>
            <PrintButton label={customerTranslator(locale, "receipt")("print")} />
            <Button asChild variant="secondary" size="sm">
              <a href={mypagePath(merchantId, `/receipts/${id}/pdf`)} data-testid="receipt-pdf">
                {t("receipts.download")}
              </a>
            </Button>
          </>
        }
      />
    </>
  );
}
