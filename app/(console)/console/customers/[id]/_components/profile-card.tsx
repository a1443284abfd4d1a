import Link from "next/link";
import type { ReactNode } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
import type { customers } from "@/db/schema";
import { DATE } from "../../formats";
import { Section } from "./section";

type Customer = typeof customers.$inferSelect;

/** 東京都渋谷区神宮前1-2-3 / ハイツ101: Japanese order, below the postal code. */
function addressLines({ prefecture, city, line1, line2 }: Record<string, string | undefined>): string[] {
  return [[prefecture, city, line1].filter(Boolean).join(""), line2].filter((line): line is string => Boolean(line));
}

export async function ProfileCard({ customer, testClock }: { customer: Customer; testClock: { id: string; name: string | null } | null }) {
  const [t, format] = await Promise.all([getTranslations("customers.detail"), getFormatter()]);
  const notSet = <span className="text-slate-500">{t("notSet")}</span>;
  const address = customer.address;
  const rows: [string, ReactNode][] = [
    [t("name"), customer.name],
    [t("email"), <span key="email" className="break-all">{customer.email}</span>],
    [t("phone"), customer.phone ?? notSet],
    [
      t("address"),
      address ? (
        <address key="address" className="not-italic">
          {address.postalCode ? <span className="block">{t("postalMark", { code: address.postalCode })}</span> : null}
          {addressLines(address).map((line) => (
            <span key={line} className="block">
              {line}
            </span>
          ))}
        </address>
      ) : (
        notSet
      ),
    ],
    [t("locale"), customer.locale === "en" ? t("localeEn") : t("localeJa")],
    [t("created"), format.dateTime(customer.createdAt, DATE)],
    [t("id"), <code key="id" className="text-xs break-all">{customer.id}</code>],
  ];
  if (testClock) {
    rows.push([
      t("testClock"),
      <Link key="clock" href={`/console/test-clocks/${testClock.id}`} className="text-sky-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600">
        {testClock.name ?? testClock.id}
      </Link>,
    ]);
  }
  return (
    <Section id="profile" title={t("profile")}>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-[10rem_1fr]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-sm font-medium text-slate-600">{label}</dt>
            <dd className="text-sm text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}
