import { getFormatter, getTranslations } from "next-intl/server";
import { MailStatusBadge } from "@/components/console/mail-status-badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { CustomerOverview } from "@/lib/services/queries/customers";
import { DATE_TIME } from "../../formats";
import { EmptyNote, Section } from "./section";

/** The mails Keizoku sent (or queued) to the customer, newest first. */
export async function MailsSection({ mails }: { mails: CustomerOverview["mails"] }) {
  const [t, format] = await Promise.all([getTranslations("customers"), getFormatter()]);
  const note = mails.total > mails.rows.length ? t("detail.newestOf", { shown: mails.rows.length, total: mails.total }) : null;
  return (
    <Section id="mails" title={t("detail.mails")} note={note}>
      {mails.rows.length === 0 ? (
        <EmptyNote>{t("detail.mailsEmpty")}</EmptyNote>
      ) : (
        <Table aria-labelledby="mails-title">
          <THead>
            <tr>
              <TH scope="col">{t("detail.template")}</TH>
              <TH scope="col">{t("detail.subject")}</TH>
              <TH scope="col">{t("detail.mailStatus")}</TH>
              <TH scope="col">{t("detail.mailDate")}</TH>
            </tr>
          </THead>
          <TBody>
            {mails.rows.map((mail) => (
              <TR key={mail.id} data-testid="mail-row">
                <TD className="whitespace-nowrap">{t(`mailTemplate.${mail.template}`)}</TD>
                <TD>{mail.subject ?? <span className="text-slate-500">—</span>}</TD>
                <TD>
                  <MailStatusBadge status={mail.status} />
                </TD>
                <TD className="whitespace-nowrap tabular-nums">{format.dateTime(mail.sentAt ?? mail.queuedAt, DATE_TIME)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Section>
  );
}
