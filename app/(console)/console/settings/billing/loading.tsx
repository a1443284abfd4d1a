import { getTranslations } from "next-intl/server";
import { Skeleton } from "@/components/ui/skeleton";

export default async function BillingSettingsLoading() {
  const t = await getTranslations("common");
  return (
    <div className="flex max-w-6xl flex-col gap-5" aria-busy="true">
      <span className="sr-only" role="status">
        {t("loading")}
      </span>
      <Skeleton className="h-8 w-40" />
      <Skeleton className="h-4 w-96" />
      <Skeleton className="h-[32rem] w-full" />
      <div className="grid gap-5 lg:grid-cols-2">
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-48 w-full" />
      </div>
    </div>
  );
}
