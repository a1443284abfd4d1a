import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { Card } from "@/components/ui/card";
import { formatMoney } from "@/lib/billing/money";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { listAtobaraiReviewQueue } from "@/lib/services/queries/atobarai-orders";
import { AtobaraiPage } from "../_components/atobarai-page";
import { DecideForm } from "../_components/order-actions";
import { ScreeningReasons } from "../_components/screening-reasons";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("atobarai.review"))("title") };
}

/** 審査待ち (保留): orders screening held for staff, the longest waiting first, each with its reasons and the decision. */
export default async function AtobaraiReviewPage() {
  const { ctx, staff } = await requireStaff();
  const t = await getTranslations("atobarai.review");
  const queue = await listAtobaraiReviewQueue(ctx);
  const operate = staffMay(staff.role, "atobarai.operate");
  return (
    <AtobaraiPage title={t("title")} lead={t("lead")} tab="review">
      {queue.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
          <p className="text-sm text-slate-700">{t("empty")}</p>
        </div>
      ) : (
        <ul className="flex flex-col gap-4">
          {queue.map((o) => (
            <li key={o.id}>
              <Card>
                <h2 className="text-base font-semibold">
                  <Link href={`/console/atobarai/orders/${o.id}`} className="text-sky-800 underline-offset-2 hover:underline">
                    {o.orderRef}
                  </Link>{" "}
                  {o.buyerName}　{formatMoney({ amount: o.amount, currency: o.currency })}
                </h2>
                <p className="mb-2 text-xs text-slate-600">
                  <DateText value={o.createdAt} withTime />
                </p>
                <ScreeningReasons reasons={o.screeningReasons ?? []} />
                {operate ? (
                  <div className="mt-3">
                    <DecideForm orderId={o.id} orderRef={o.orderRef} />
                  </div>
                ) : (
                  <p className="mt-3 text-sm text-slate-600">{t("readOnly")}</p>
                )}
              </Card>
            </li>
          ))}
        </ul>
      )}
    </AtobaraiPage>
  );
}
