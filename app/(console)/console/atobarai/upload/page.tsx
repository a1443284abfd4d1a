import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { ORDER_CSV_COLUMNS } from "@/lib/services/upload-atobarai-orders";
import { SHIPMENT_CSV_COLUMNS } from "@/lib/services/upload-atobarai-shipments";
import { AtobaraiTabs } from "../_components/atobarai-tabs";
import { CsvUploadForm } from "./csv-upload-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("atobarai.upload"))("title") };
}

const titles = (columns: Record<string, readonly string[]>) => Object.values(columns).map((c) => c[0]).join(",");

/** CSV一括登録: orders, and tracking numbers for orders screened OK (each issues its invoice). */
export default async function AtobaraiUploadPage() {
  const { staff } = await requireStaff();
  const t = await getTranslations("atobarai.upload");
  const disabled = !staffMay(staff.role, "atobarai.operate");
  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
        {disabled ? <p className="mt-1 text-sm text-slate-600">{t("readOnly")}</p> : null}
      </header>
      <AtobaraiTabs current="upload" />
      <Card>
        <CsvUploadForm kind="orders" columns={titles(ORDER_CSV_COLUMNS)} disabled={disabled} />
      </Card>
      <Card>
        <CsvUploadForm kind="shipments" columns={titles(SHIPMENT_CSV_COLUMNS)} disabled={disabled} />
      </Card>
    </div>
  );
}
