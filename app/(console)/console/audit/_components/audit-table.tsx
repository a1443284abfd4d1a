import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { DateText } from "@/components/console/date-text";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AuditActor, AuditTrailEntry } from "@/lib/services/queries/audit-events";
import { actionLabeller } from "../action-labels";

/** Where a target can be opened in the console; other targets are shown by their id only. */
const TARGET_PAGES: Record<string, (id: string) => string> = {
  subscription: (id) => `/console/subscriptions/${id}`,
  customer: (id) => `/console/customers/${id}`,
};

/** One page of the audit log: when, who (named, with their kind), what (in the reader's words) and to what. */
export async function AuditTable({ rows }: { rows: AuditTrailEntry[] }) {
  const t = await getTranslations("audit");
  const label = await actionLabeller();
  const who = (actor: AuditActor) => {
    if (actor.type === "staff") return actor.name ?? t("list.unknownStaff");
    if (actor.type === "api_key") return actor.name ?? actor.prefix ?? actor.id ?? "";
    if (actor.type === "customer") return actor.name ?? actor.id ?? "";
    return null;
  };
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <Table>
        <caption className="sr-only">{t("list.caption")}</caption>
        <THead>
          <TR>
            <TH scope="col">{t("list.when")}</TH>
            <TH scope="col">{t("list.actor")}</TH>
            <TH scope="col">{t("list.action")}</TH>
            <TH scope="col">{t("list.target")}</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => {
            const name = who(row.actor);
            const page = TARGET_PAGES[row.targetType];
            return (
              <TR key={row.id} data-testid={`audit-${row.id}`}>
                <TD className="whitespace-nowrap">
                  <DateText value={row.occurredAt} withTime />
                </TD>
                <TD>
                  <div className="font-medium">{name ?? t(`actorType.${row.actor.type}`)}</div>
                  {name !== null ? <div className="text-xs text-slate-600">{t(`actorType.${row.actor.type}`)}</div> : null}
                </TD>
                <TD>
                  <div>{label(row.action)}</div>
                  <code className="text-xs text-slate-600">{row.action}</code>
                </TD>
                <TD className="text-xs break-all">
                  {page ? (
                    <Link href={page(row.targetId)} className="text-sky-800 underline underline-offset-2">
                      {row.targetId}
                    </Link>
                  ) : (
                    <code>{row.targetId}</code>
                  )}
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </div>
  );
}
