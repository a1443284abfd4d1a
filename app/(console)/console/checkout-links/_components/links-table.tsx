import { ExternalLink } from "lucide-react";
import { useTranslations } from "next-intl";
import { DateText } from "@/components/console/date-text";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { CopyLinkButton } from "./copy-link-button";
import { LinkActiveButton } from "./link-active-button";

export type LinkRow = {
  id: string;
  url: string;
  productName: string;
  planName: string | null;
  price: string;
  collect: { phone: boolean; address: boolean };
  successUrl: string | null;
  createdAt: Date;
  active: boolean;
};

/** The merchant's checkout links, newest first, each with its full URL to copy or open. */
export function LinksTable({ rows, manageReason }: { rows: LinkRow[]; /** Why this staff member cannot turn links off or on; null: they can. */ manageReason: string | null }) {
  const t = useTranslations("checkoutLinks.list");
  const collected = (c: LinkRow["collect"]) => [c.phone ? t("phone") : null, c.address ? t("address") : null].filter(Boolean).join("・") || t("nothingExtra");
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <Table>
        <caption className="sr-only">{t("caption")}</caption>
        <THead>
          <TR>
            <TH scope="col">{t("product")}</TH>
            <TH scope="col">{t("price")}</TH>
            <TH scope="col">{t("url")}</TH>
            <TH scope="col">{t("collect")}</TH>
            <TH scope="col">{t("successUrl")}</TH>
            <TH scope="col">{t("created")}</TH>
            <TH scope="col">{t("status")}</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => {
            const name = row.planName ? `${row.productName} / ${row.planName}` : row.productName;
            return (
              <TR key={row.id} data-testid={`checkout-link-${row.id}`}>
                <TD>
                  <div className="font-medium">{row.productName}</div>
                  {row.planName ? <div className="text-xs text-slate-600">{row.planName}</div> : null}
                </TD>
                <TD className="whitespace-nowrap tabular-nums">{row.price}</TD>
                <TD>
                  <code className="block max-w-[22rem] text-xs break-all text-slate-800">{row.url}</code>
                  <div className="mt-1 flex gap-2">
                    <CopyLinkButton url={row.url} label={t("copyLabel", { product: name })} />
                    <a
                      href={row.url}
                      target="_blank"
                      rel="noopener noreferrer"
                      aria-label={t("openLabel", { product: name })}
                      className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-medium text-sky-800 underline underline-offset-2 hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-sky-600"
                    >
                      {t("open")}
                      <ExternalLink className="h-3 w-3" aria-hidden />
                    </a>
                  </div>
                </TD>
                <TD className="whitespace-nowrap">{collected(row.collect)}</TD>
                <TD className="max-w-[14rem] text-xs break-all">{row.successUrl ?? <span className="text-slate-600">{t("ownSuccessPage")}</span>}</TD>
                <TD className="whitespace-nowrap">
                  <DateText value={row.createdAt} withTime />
                </TD>
                <TD>
                  <div className="flex flex-col items-start gap-1">
                    {row.active ? <Badge tone="success">{t("active")}</Badge> : <Badge tone="muted">{t("inactive")}</Badge>}
                    <LinkActiveButton linkId={row.id} active={row.active} product={name} disabledReason={manageReason} />
                  </div>
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </div>
  );
}
