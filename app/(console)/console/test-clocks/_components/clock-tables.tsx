import Link from "next/link";
import { useTranslations } from "next-intl";
import { DateText } from "@/components/console/date-text";
import { StatusBadge } from "@/components/console/status-badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { TestClockContract, TestClockCustomer } from "@/lib/services/queries/test-clocks";

const LINK = "font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600";

/** The clock's customers, each linking to their console page, with the test card they were given. */
export function ClockCustomersTable({ rows }: { rows: TestClockCustomer[] }) {
  const t = useTranslations("testClocks.customers");
  return (
    <div className="overflow-x-auto">
      <Table>
        <caption className="sr-only">{t("caption")}</caption>
        <THead>
          <TR>
            <TH scope="col">{t("name")}</TH>
            <TH scope="col">{t("email")}</TH>
            <TH scope="col">{t("card")}</TH>
            <TH scope="col">{t("created")}</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => (
            <TR key={row.id} data-testid={`clock-customer-${row.id}`}>
              <TD>
                <Link href={`/console/customers/${row.id}`} className={LINK}>
                  {row.name}
                </Link>
              </TD>
              <TD className="break-all">{row.email}</TD>
              <TD className="whitespace-nowrap">{row.card ? t("cardValue", { brand: row.card.brand, last4: row.card.last4 }) : t("noCard")}</TD>
              <TD className="whitespace-nowrap">
                <DateText value={row.createdAt} withTime />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}

/** The clock's contracts, each linking to the contract's page, with its status and paid-through date on the clock. */
export function ClockContractsTable({ rows }: { rows: (TestClockContract & { price: string })[] }) {
  const t = useTranslations("testClocks.contracts");
  return (
    <div className="overflow-x-auto">
      <Table>
        <caption className="sr-only">{t("caption")}</caption>
        <THead>
          <TR>
            <TH scope="col">{t("contract")}</TH>
            <TH scope="col">{t("customer")}</TH>
            <TH scope="col">{t("plan")}</TH>
            <TH scope="col">{t("status")}</TH>
            <TH scope="col">{t("paidThrough")}</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => (
            <TR key={row.id} data-testid={`clock-contract-${row.id}`}>
              <TD>
                <Link href={`/console/subscriptions/${row.id}`} className={`${LINK} font-mono text-xs`} aria-label={t("openLabel", { customer: row.customerName, id: row.id })}>
                  {row.id}
                </Link>
              </TD>
              <TD>
                <Link href={`/console/customers/${row.customerId}`} className={LINK}>
                  {row.customerName}
                </Link>
              </TD>
              <TD>
                <div>{row.planName}</div>
                <div className="text-xs text-slate-600 tabular-nums">{row.price}</div>
              </TD>
              <TD>
                <StatusBadge status={row.status} />
              </TD>
              <TD className="whitespace-nowrap">{row.paidThrough ? <DateText value={row.paidThrough} /> : t("none")}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
