import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { listApiKeys } from "@/lib/services/queries/api-keys";
import { ApiKeysTable } from "./_components/api-keys-table";
import { CreateApiKeyDialog } from "./_components/create-api-key-dialog";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("apiKeys"))("title") };
}

/** API キー: the merchant's secret keys for the REST API; owners and admins make and revoke them. */
export default async function ApiKeysPage() {
  const { ctx, staff } = await requireStaff();
  const [t, keys] = await Promise.all([getTranslations("apiKeys"), listApiKeys(ctx)]);
  const readOnlyReason = staffMay(staff.role, "api_keys.manage") ? null : t("readOnly");
  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
        </div>
        <CreateApiKeyDialog disabledReason={readOnlyReason} />
      </header>
      {keys.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6">
          <p className="text-sm text-slate-700">{t("list.empty")}</p>
        </div>
      ) : (
        <ApiKeysTable rows={keys} manageReason={readOnlyReason} />
      )}
    </div>
  );
}
