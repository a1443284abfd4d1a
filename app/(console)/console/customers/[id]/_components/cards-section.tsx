import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { localDateOf } from "@/lib/billing/calendar";
import { isCardExpired } from "@/lib/billing/card-expiry";
import type { CustomerCard } from "@/lib/services/queries/customers";
import { EmptyNote, linkClass, Section } from "./section";

const BRANDS = ["visa", "mastercard", "amex", "jcb"] as const;

/** The customer's cards: which is the default, which contracts are charged on it, and whether it has expired. */
export async function CardsSection({ cards, timeZone, now }: { cards: CustomerCard[]; timeZone: string; now: Date }) {
  const t = await getTranslations("customers");
  const today = localDateOf(now, timeZone);
  const state = (card: CustomerCard) => {
    if (card.status === "detached") return <Badge tone="muted">{t("detail.detached")}</Badge>;
    if (isCardExpired(card.expMonth, card.expYear, today)) return <Badge tone="danger">{t("detail.expired")}</Badge>;
    if (card.expYear === today.year && card.expMonth === today.month) return <Badge tone="warning">{t("detail.expiresThisMonth")}</Badge>;
    return <Badge tone="success">{t("detail.valid")}</Badge>;
  };
  return (
    <Section id="cards" title={t("detail.cards")}>
      {cards.length === 0 ? (
        <EmptyNote>{t("detail.cardsEmpty")}</EmptyNote>
      ) : (
        <Table aria-labelledby="cards-title">
          <THead>
            <tr>
              <TH scope="col">{t("detail.card")}</TH>
              <TH scope="col">{t("detail.expiry")}</TH>
              <TH scope="col">{t("detail.cardState")}</TH>
              <TH scope="col">{t("detail.usedBy")}</TH>
            </tr>
          </THead>
          <TBody>
            {cards.map((card) => (
              <TR key={card.id} data-testid="card-row">
                <TD>
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="whitespace-nowrap">
                      {t("detail.cardNumber", { brand: t(`brand.${(BRANDS as readonly string[]).includes(card.brand) ? (card.brand as (typeof BRANDS)[number]) : "unknown"}`), last4: card.last4 })}
                    </span>
                    {card.isDefault ? <Badge tone="info">{t("detail.default")}</Badge> : null}
                  </span>
                </TD>
                <TD className="whitespace-nowrap tabular-nums">{t("detail.expiryValue", { month: String(card.expMonth).padStart(2, "0"), year: String(card.expYear) })}</TD>
                <TD>{state(card)}</TD>
                <TD>
                  {card.contractIds.length === 0 ? (
                    <span className="text-slate-600">{t("detail.usedByNone")}</span>
                  ) : (
                    <ul className="flex flex-col gap-1">
                      {card.contractIds.map((id) => (
                        <li key={id}>
                          <Link href={`/console/subscriptions/${id}`} className={linkClass}>
                            <code className="text-xs break-all">{id}</code>
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Section>
  );
}
