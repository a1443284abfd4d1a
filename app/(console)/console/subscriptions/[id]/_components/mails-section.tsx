import { getTranslations } from "next-intl/server";
import { DateText } from "@/components/console/date-text";
import { MailStatusBadge } from "@/components/console/mail-status-badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { mails } from "@/db/schema";

type MailRow = typeof mails.$inferSelect;

/** The outbox for this contract, newest first: what was sent (or is waiting), to whom, and how it went. */
export async function MailsSection({ rows, hasMore }: { rows: MailRow[]; hasMore: boolean }) {
  const t = await getTranslations("subscription.mails");
  const tBilling = await getTranslations("billing");
  return (
    <Card aria-labelledby="mails-heading">
      <CardTitle id="mails-heading">{t("heading")}</CardTitle>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">{t("empty")}</p>
      ) : (
        <>
          {hasMore ? <p className="mb-2 text-sm text-slate-600">{t("more", { count: rows.length })}</p> : null}
          <Table aria-labelledby="mails-heading" data-testid="mails">
            <THead>
              <tr>
                <TH scope="col">{t("queuedAt")}</TH>
                <TH scope="col">{t("template")}</TH>
                <TH scope="col">{t("subject")}</TH>
                <TH scope="col">{t("to")}</TH>
                <TH scope="col">{t("status")}</TH>
              </tr>
            </THead>
            <TBody>
              {rows.map((mail) => (
                <TR key={mail.id}>
                  <TD className="whitespace-nowrap">
                    <DateText value={mail.queuedAt} withTime />
                  </TD>
                  <TD>{tBilling.has(`mailTemplate.${mail.template}`) ? tBilling(`mailTemplate.${mail.template}`) : mail.template}</TD>
                  <TD>{mail.subject ?? <span className="text-slate-600">{t("defaultSubject")}</span>}</TD>
                  <TD className="break-all">{mail.toAddress}</TD>
                  <TD>
                    <MailStatusBadge status={mail.status} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </>
      )}
    </Card>
  );
}
