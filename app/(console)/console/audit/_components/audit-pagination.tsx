"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import { useQueryStates } from "nuqs";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { auditParsers } from "../search-params";

/** Previous and next page (the log is not counted: there is a next page when the server found one more row). */
export function AuditPagination({ page, hasMore }: { page: number; hasMore: boolean }) {
  const t = useTranslations("audit.list");
  const [pending, startTransition] = useTransition();
  const [, setState] = useQueryStates(auditParsers, { shallow: false, history: "push", startTransition });
  return (
    <nav aria-label={t("pagination")} aria-busy={pending} className="flex items-center justify-end gap-2 text-sm">
      <Button variant="secondary" size="sm" disabled={page <= 1 || pending} onClick={() => setState({ page: page - 1 })}>
        <ChevronLeft className="h-4 w-4" aria-hidden />
        {t("previous")}
      </Button>
      <span className="px-2 tabular-nums" aria-live="polite">
        {t("page", { page })}
      </span>
      <Button variant="secondary" size="sm" disabled={!hasMore || pending} onClick={() => setState({ page: page + 1 })}>
        {t("next")}
        <ChevronRight className="h-4 w-4" aria-hidden />
      </Button>
    </nav>
  );
}
