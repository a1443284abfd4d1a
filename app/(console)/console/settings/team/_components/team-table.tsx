import { useTranslations } from "next-intl";
import { DateText } from "@/components/console/date-text";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { StaffRow } from "@/lib/services/queries/team";
import { ChangeRoleButton } from "./change-role-button";
import { RemoveMemberButton } from "./remove-member-button";

export type MemberRow = StaffRow & { isYou: boolean; /** Why this member cannot be changed by the viewer of the page; null: they can. */ manageReason: string | null };

export function TeamTable({ rows, mayGrantOwner }: { rows: MemberRow[]; mayGrantOwner: boolean }) {
  const t = useTranslations("team.list");
  const tRole = useTranslations("common.role");
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <Table>
        <caption className="sr-only">{t("caption")}</caption>
        <THead>
          <TR>
            <TH scope="col">{t("name")}</TH>
            <TH scope="col">{t("email")}</TH>
            <TH scope="col">{t("role")}</TH>
            <TH scope="col">{t("joined")}</TH>
            <TH scope="col">{t("actions")}</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => (
            <TR key={row.id} data-testid={`member-${row.id}`}>
              <TD className="font-medium">
                {row.name}
                {row.isYou ? (
                  <Badge tone="muted" className="ml-2">
                    {t("you")}
                  </Badge>
                ) : null}
              </TD>
              <TD className="break-all">{row.email}</TD>
              <TD className="whitespace-nowrap">{tRole(row.role)}</TD>
              <TD className="whitespace-nowrap">
                <DateText value={row.createdAt} />
              </TD>
              <TD>
                <div className="flex flex-wrap gap-2">
                  <ChangeRoleButton staffUserId={row.id} name={row.name} role={row.role} mayGrantOwner={mayGrantOwner} disabledReason={row.manageReason} />
                  <RemoveMemberButton staffUserId={row.id} name={row.name} isYou={row.isYou} disabledReason={row.manageReason} />
                </div>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
