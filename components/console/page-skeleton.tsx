import { getTranslations } from "next-intl/server";
import { Skeleton } from "@/components/ui/skeleton";

/** A console page's shape while it loads (heading, a line, a block), announced to screen readers. */
export async function PageSkeleton() {
  const t = await getTranslations("common");
  return (
    <div className="flex flex-col gap-4" aria-busy="true">
      <span className="sr-only" role="status">
        {t("loading")}
      </span>
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-4 w-96" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
