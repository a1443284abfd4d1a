import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ChevronLeft, Paperclip } from "lucide-react";
import { DateText } from "@/components/console/date-text";
import { MailStatusBadge } from "@/components/console/mail-status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requireStaff } from "@/lib/console/staff-context";
import { staffMay } from "@/lib/services/authorize";
import { ServiceError } from "@/lib/services/errors";
import { getMailDetail } from "@/lib/services/queries/outbox";
import { ResendButton } from "./_components/resend-button";
import { StatusReason } from "../_components/status-reason";

type Props = { params: Promise<{ id: string }> };

async function load(id: string) {
  const { ctx, staff } = await requireStaff();
  try {
    return { detail: await getMailDetail(ctx, id), role: staff.role, linkDays: ctx.links.ttlDays };
  } catch (error) {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { detail } = await load((await params).id);
  return { title: detail.mail.subject ?? (await getTranslations("outbox"))("title") };
}

const link = "font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600";

/** One mail as it was sent: headers, its attachments, the HTML (sandboxed) and the text, its status, delivery events and resend. */
export default async function MailPage({ params }: Props) {
  const { detail, role, linkDays } = await load((await params).id);
  const [t, tBilling] = await Promise.all([getTranslations("outbox"), getTranslations("billing")]);
  const { mail, customer, events, resends, suppression } = detail;
  const testSend = mail.idempotencyKey.startsWith("test_send:");
  // Its signed links are made by the delivery worker as it sends (until then a resend shows the links it went with).
  const linksAtSend = mail.status === "queued" && mail.batchKey === null && Object.keys(mail.links).length > 0;
  const resendRefusal = !staffMay(role, "mails.operate")
    ? t("resend.forbidden")
    : mail.status === "skipped"
      ? t("resend.skipped")
      : !mail.renderedAt
        ? t("resend.notSent")
        : suppression
          ? t("resend.suppressed")
          : null;
  const fact = (label: string, value: React.ReactNode) => (
    <div className="grid grid-cols-[8rem_1fr] gap-2 py-1.5">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="text-sm break-all">{value ?? <span className="text-slate-500">{t("detail.unset")}</span>}</dd>
    </div>
  );
  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <nav aria-label={t("detail.breadcrumb")}>
        <Link href="/console/mails" className={`inline-flex items-center gap-1 text-sm ${link}`}>
          <ChevronLeft className="h-4 w-4" aria-hidden />
          {t("detail.back")}
        </Link>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{mail.subject ?? t("detail.noSubject")}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <MailStatusBadge status={mail.status} />
            {mail.testClockId ? <Badge tone="test">{t("table.testData")}</Badge> : null}
            {testSend ? <Badge tone="info">{t("table.testSend")}</Badge> : null}
            {mail.resendOf ? <Badge tone="neutral">{t("table.resend")}</Badge> : null}
          </p>
        </div>
        <ResendButton mailId={mail.id} to={mail.toAddress} disabledReason={resendRefusal} />
      </header>
      {mail.testClockId ? <p className="text-sm text-slate-700">{t("detail.testData")}</p> : null}
      {testSend ? <p className="text-sm text-slate-700">{t("detail.testSend")}</p> : null}
      {linksAtSend ? (
        <p className="text-sm text-slate-700" data-testid="links-at-send">
          {t("detail.linksAtSend", { days: linkDays })}
        </p>
      ) : null}
      {suppression ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="suppressed-note">
          {t("detail.suppressed", { reason: t(`suppressions.reasons.${suppression.reason}`) })}{" "}
          <Link href={`/console/mails/suppressions?q=${encodeURIComponent(mail.toAddress.toLowerCase())}`} className={link}>
            {t("detail.toSuppressions")}
          </Link>
        </p>
      ) : null}
      <Card aria-labelledby="facts-title">
        <CardTitle id="facts-title">{t("detail.facts")}</CardTitle>
        <dl className="divide-y divide-slate-100" data-testid="mail-facts">
          {fact(t("detail.template"), tBilling(`mailTemplate.${mail.template}`))}
          {fact(t("detail.from"), mail.fromHeader)}
          {fact(t("detail.replyTo"), mail.replyTo)}
          {fact(t("detail.to"), mail.toAddress)}
          {mail.attachments.length > 0
            ? fact(
                t("detail.attachments"),
                // Rendered again at each send from the order, with the renderer this link opens: the PDF the buyer got.
                <ul className="flex flex-col gap-1" data-testid="mail-attachments">
                  {mail.attachments.map((a) => (
                    <li key={`${a.kind}:${a.orderId}`} className="flex items-center gap-1.5">
                      <Paperclip className="h-4 w-4 shrink-0 text-slate-500" aria-hidden />
                      <Link href={`/console/atobarai/orders/${a.orderId}/invoice`} className={link} prefetch={false}>
                        {t("detail.openAttachment", { name: a.filename })}
                      </Link>
                    </li>
                  ))}
                </ul>,
              )
            : null}
          {fact(
            t("detail.status"),
            <span className="flex flex-col gap-1">
              <span>
                <MailStatusBadge status={mail.status} />
              </span>
              <StatusReason status={mail.status} reason={mail.statusReason} />
              {mail.lastError ? <span className="text-slate-700">{t("detail.lastError", { error: mail.lastError })}</span> : null}
            </span>,
          )}
          {fact(t("detail.delivery"), mail.deliveryStatus ? t(`deliveryStatus.${mail.deliveryStatus}`) : null)}
          {fact(t("detail.queuedAt"), <DateText value={mail.queuedAt} withTime />)}
          {fact(t("detail.sentAt"), mail.sentAt ? <DateText value={mail.sentAt} withTime /> : null)}
          {fact(
            t("detail.contract"),
            mail.subscriptionId ? (
              <Link href={`/console/subscriptions/${mail.subscriptionId}`} className={link}>
                {mail.subscriptionId}
              </Link>
            ) : null,
          )}
          {fact(
            t("detail.customer"),
            customer ? (
              <Link href={`/console/customers/${customer.id}`} className={link}>
                {customer.name}
              </Link>
            ) : null,
          )}
          {mail.resendOf
            ? fact(
                t("detail.resendOf"),
                <Link href={`/console/mails/${mail.resendOf}`} className={link}>
                  {mail.resendOf}
                </Link>,
              )
            : null}
          {resends.length > 0
            ? fact(
                t("detail.resends"),
                <ul className="flex flex-col gap-1" data-testid="resends">
                  {resends.map((r) => (
                    <li key={r.id} className="flex flex-wrap items-center gap-2">
                      <Link href={`/console/mails/${r.id}`} className={link}>
                        {r.id}
                      </Link>
                      <MailStatusBadge status={r.status} />
                      <DateText value={r.queuedAt} withTime />
                    </li>
                  ))}
                </ul>,
              )
            : null}
        </dl>
      </Card>
      {mail.renderedAt && mail.html !== null ? (
        <Card aria-labelledby="html-title">
          <CardTitle id="html-title">{t("detail.html")}</CardTitle>
          <iframe title={t("detail.frameTitle")} sandbox="" srcDoc={mail.html} className="h-96 w-full rounded-md border border-slate-200 bg-white" data-testid="mail-html" />
        </Card>
      ) : null}
      {mail.renderedAt && mail.textBody !== null ? (
        <Card aria-labelledby="text-title">
          <CardTitle id="text-title">{t("detail.text")}</CardTitle>
          <pre className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 text-sm whitespace-pre-wrap" data-testid="mail-text" tabIndex={0}>
            {mail.textBody}
          </pre>
        </Card>
      ) : null}
      {!mail.renderedAt ? <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">{t("detail.notRendered")}</p> : null}
      <Card aria-labelledby="events-title">
        <CardTitle id="events-title">{t("events.heading")}</CardTitle>
        {events.length === 0 ? (
          <p className="text-sm text-slate-600">{t("events.empty")}</p>
        ) : (
          <Table aria-labelledby="events-title" data-testid="mail-events">
            <THead>
              <tr>
                <TH scope="col">{t("events.at")}</TH>
                <TH scope="col">{t("events.kind")}</TH>
                <TH scope="col">{t("events.detail")}</TH>
              </tr>
            </THead>
            <TBody>
              {events.map((event) => (
                <TR key={event.id}>
                  <TD className="whitespace-nowrap">
                    <DateText value={event.at} withTime />
                  </TD>
                  <TD>{t.has(`events.kinds.${event.kind}` as Parameters<typeof t>[0]) ? t(`events.kinds.${event.kind}` as Parameters<typeof t>[0]) : event.kind}</TD>
                  <TD className="text-xs break-all text-slate-700">
                    {typeof event.detail.resendMailId === "string" ? (
                      <Link href={`/console/mails/${event.detail.resendMailId}`} className={link}>
                        {t("resend.open")}
                      </Link>
                    ) : Object.keys(event.detail).length > 0 ? (
                      <code>{JSON.stringify(event.detail)}</code>
                    ) : null}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
