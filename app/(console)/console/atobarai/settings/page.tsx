import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { getAtobaraiAccount } from "@/lib/services/queries/atobarai-orders";
import { AtobaraiOff } from "../_components/atobarai-off";
import { AtobaraiPage } from "../_components/atobarai-page";
import { AtobaraiSettingsForm } from "./settings-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("atobarai.settings"))("title") };
}

/** 後払い設定: turning 後払い on, and its terms. */
export default async function AtobaraiSettingsPage() {
  const { ctx, staff } = await requireStaff();
  const t = await getTranslations("atobarai");
  const account = await getAtobaraiAccount(ctx);
  const readOnlyReason = staffMay(staff.role, "atobarai.manage") ? null : t("settings.readOnly");
  return (
    <AtobaraiPage title={t("settings.title")} lead={t("settings.lead")} tab="settings">
      {account ? (
        <>
          {account.settings.nextSettlementCycle && account.nextCycleFrom ? (
            <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
              {t("settings.pendingCycle", { from: account.nextCycleFrom, cycle: account.settings.nextSettlementCycle.kind === "weekly" ? t("settings.weekly") : t("settings.monthly") })}
            </p>
          ) : null}
          <AtobaraiSettingsForm key={account.updatedAt.toISOString()} settings={account.settings} readOnlyReason={readOnlyReason} />
        </>
      ) : (
        <AtobaraiOff readOnlyReason={readOnlyReason} />
      )}
    </AtobaraiPage>
  );
}
