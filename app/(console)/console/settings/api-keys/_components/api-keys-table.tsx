import { useTranslations } from "next-intl";
import { DateText } from "@/components/console/date-text";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ApiKeyRow } from "@/lib/services/queries/api-keys";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

/** The merchant's keys, newest first: a name and the key's first characters tell them apart; the secret is never shown again. */
export function ApiKeysTable({ rows, manageReason }: { rows: ApiKeyRow[]; /** Why this staff member cannot revoke; null: they can. */ manageReason: string | null }) {
  const t = useTranslations("apiKeys.list");
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <Table>
        <caption className="sr-only">{t("caption")}</caption>
        <THead>
          <TR>
            <TH scope="col">{t("name")}</TH>
            <TH scope="col">{t("prefix")}</TH>
            <TH scope="col">{t("created")}</TH>
            <TH scope="col">{t("lastUsed")}</TH>
            <TH scope="col">{t("status")}</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => {
            const name = row.name ?? t("unnamed");
            return (
              <TR key={row.id} data-testid={`api-key-${row.id}`}>
                <TD className="font-medium">{name}</TD>
                <TD>
                  <code className="text-xs text-slate-800">{t("masked", { prefix: row.displayPrefix })}</code>
                </TD>
                <TD className="whitespace-nowrap">
                  <DateText value={row.createdAt} withTime />
                </TD>
                <TD className="whitespace-nowrap">{row.lastUsedAt ? <DateText value={row.lastUsedAt} withTime /> : <span className="text-slate-600">{t("neverUsed")}</span>}</TD>
                <TD>
                  {row.revokedAt ? (
                    <div className="flex flex-col items-start gap-1">
                      <Badge tone="muted">{t("revoked")}</Badge>
                      <span className="text-xs text-slate-600">
                        <DateText value={row.revokedAt} withTime />
                      </span>
                    </div>
                  ) : (
                    <div className="flex flex-col items-start gap-1">
                      <Badge tone="success">{t("active")}</Badge>
                      <RevokeApiKeyButton apiKeyId={row.id} name={name} disabledReason={manageReason} />
                    </div>
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
