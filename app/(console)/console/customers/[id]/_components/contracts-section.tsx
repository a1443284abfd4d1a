import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { StatusBadge } from "@/components/console/status-badge";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMoney } from "@/lib/billing/money";
import type { CustomerContract } from "@/lib/services/queries/customers";
import { DATE } from "../../formats";
import { EmptyNote, linkClass, Section } from "./section";

/** The customer's contracts, newest first, each linking to its page in the contracts workspace. */
export async function ContractsSection({ contracts }: { contracts: CustomerContract[] }) {
  const [t, format] = await Promise.all([getTranslations("customers.detail"), getFormatter()]);
  return (
    <Section id="contracts" title={t("contracts")}>
      {contracts.length === 0 ? (
        <EmptyNote>{t("contractsEmpty")}</EmptyNote>
      ) : (
        <Table aria-labelledby="contracts-title">
          <THead>
            <tr>
              <TH scope="col">{t("contract")}</TH>
              <TH scope="col">{t("plan")}</TH>
              <TH scope="col">{t("status")}</TH>
              <TH scope="col">{t("paidThrough")}</TH>
              <TH scope="col">{t("started")}</TH>
            </tr>
          </THead>
          <TBody>
            {contracts.map((contract) => (
              <TR key={contract.id} data-testid="contract-row">
                <TD>
                  <Link href={`/console/subscriptions/${contract.id}`} className={linkClass} aria-label={t("openContract", { id: contract.id })}>
                    <code className="text-xs break-all">{contract.id}</code>
                  </Link>
                </TD>
                <TD>
                  <span className="block">{contract.productName}</span>
                  <span className="block text-xs text-slate-600">
                    {contract.planName ? `${contract.planName} · ` : ""}
                    {formatMoney({ amount: contract.amount, currency: contract.currency })}
                  </span>
                </TD>
                <TD>
                  <span className="flex flex-wrap gap-1">
                    <StatusBadge status={contract.status} />
                    {contract.cancelAtPeriodEnd ? <Badge tone="warning">{t("cancelAtPeriodEnd")}</Badge> : null}
                  </span>
                </TD>
                <TD className="whitespace-nowrap">{contract.paidThrough ? format.dateTime(contract.paidThrough, DATE) : "—"}</TD>
                <TD className="whitespace-nowrap">{format.dateTime(contract.createdAt, DATE)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Section>
  );
}
