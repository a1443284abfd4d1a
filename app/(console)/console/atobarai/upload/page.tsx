import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { ORDER_CSV_COLUMNS } from "@/lib/services/upload-atobarai-orders";
import { SHIPMENT_CSV_COLUMNS } from "@/lib/services/upload-atobarai-shipments";
import { AtobaraiPage } from "../_components/atobarai-page";
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
    <AtobaraiPage
      title={t("title")}
      lead={
        <>
          <p>{t("lead")}</p>
          {disabled ? <p className="mt-1">{t("readOnly")}</p> : null}
        </>
      }
      tab="upload"
    >
      <Card>
        <CsvUploadForm kind="orders" columns={titles(ORDER_CSV_COLUMNS)} disabled={disabled} />
      </Card>
      <Card>
        <CsvUploadForm kind="shipments" columns={titles(SHIPMENT_CSV_COLUMNS)} disabled={disabled} />
      </Card>
    </AtobaraiPage>
  );
}
