import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { SearchParams } from "nuqs/server";
import { requireStaff } from "@/lib/console/staff-context";
import { authorize, type Permission } from "@/lib/services/authorize";
import type { Actor } from "@/lib/services/context";
import { listSavedSearches } from "@/lib/services/queries/saved-searches";
import { searchSubscriptions, subscriptionSearchOptions } from "@/lib/services/queries/subscription-search";
import { SAVED_SEARCH_PRESETS } from "@/lib/services/saved-search-presets";
import { SubscriptionsWorkspace } from "../_components/subscriptions-workspace";
import { loadSearchState, readSearch } from "../search-params";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("subscriptions");
  return { title: t("title") };
}

const may = (actor: Actor, permission: Permission) => {
  try {
    authorize(actor, permission);
    return true;
  } catch {
    return false;
  }
};

/**
 * 契約 — the contracts workspace. The URL is the search (search-params.ts); this Server Component reads it, searches
 * through the service (which validates it again), and hands plain rows to the client workspace.
 */
export default async function SubscriptionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx } = await requireStaff();
  const state = await loadSearchState(searchParams);
  const read = readSearch(state);
  const [t, options, saved, result] = await Promise.all([
    getTranslations("subscriptions"),
    subscriptionSearchOptions(ctx),
    listSavedSearches(ctx),
    read.ok ? searchSubscriptions(ctx, read.search) : Promise.resolve(null),
  ]);
  return (
    <div className="flex flex-col gap-4">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("lead")}</p>
      </header>
      <SubscriptionsWorkspace
        result={result}
        invalidFields={read.ok ? [] : read.fields}
        options={options}
        savedSearches={saved}
        presets={SAVED_SEARCH_PRESETS}
        can={{ manageSavedSearches: may(ctx.actor, "contracts.operate"), export: may(ctx.actor, "contracts.export") }}
      />
    </div>
  );
}
