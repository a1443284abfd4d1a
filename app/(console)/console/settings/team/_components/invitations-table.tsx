import { useTranslations } from "next-intl";
import { DateText } from "@/components/console/date-text";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { InvitationRow } from "@/lib/services/queries/staff-invitations";
import { ResendInvitationButton, RevokeInvitationButton } from "./invitation-buttons";

export type PendingInvitation = InvitationRow & {
  expired: boolean;
  /** Why the viewer of the page cannot resend or revoke it; null: they can. */
  manageReason: string | null;
};

/** 招待中: invitations neither accepted nor revoked, newest first; an expired one can be sent again. */
export function InvitationsTable({ rows }: { rows: PendingInvitation[] }) {
  const t = useTranslations("team.invitations");
  const tRole = useTranslations("common.role");
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <Table>
        <caption className="sr-only">{t("caption")}</caption>
        <THead>
          <TR>
            <TH scope="col">{t("email")}</TH>
            <TH scope="col">{t("role")}</TH>
            <TH scope="col">{t("invitedBy")}</TH>
            <TH scope="col">{t("expires")}</TH>
            <TH scope="col">{t("actions")}</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => (
            <TR key={row.id} data-testid={`invitation-${row.id}`}>
              <TD className="break-all font-medium">{row.email}</TD>
              <TD className="whitespace-nowrap">{tRole(row.role)}</TD>
              <TD>{row.invitedBy ?? <span className="text-slate-600">{t("removedInviter")}</span>}</TD>
              <TD className="whitespace-nowrap">
                <div className="flex flex-col items-start gap-1">
                  <DateText value={row.expiresAt} withTime />
                  {row.expired ? <Badge tone="warning">{t("expired")}</Badge> : null}
                </div>
              </TD>
              <TD>
                <div className="flex flex-wrap gap-2">
                  <ResendInvitationButton invitationId={row.id} email={row.email} disabledReason={row.manageReason} />
                  <RevokeInvitationButton invitationId={row.id} email={row.email} disabledReason={row.manageReason} />
                </div>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
