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

/** A list page's shape while it loads (heading, a line, the search box, table rows). */
export async function ListSkeleton() {
  const t = await getTranslations("common");
  return (
    <div className="flex max-w-6xl flex-col gap-5" aria-busy="true">
      <span className="sr-only" role="status">
        {t("loading")}
      </span>
      <Skeleton className="h-8 w-32" />
      <Skeleton className="h-4 w-96" />
      <Skeleton className="h-10 w-full max-w-xl" />
      <div className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-6 w-full" />
        ))}
      </div>
    </div>
  );
}
