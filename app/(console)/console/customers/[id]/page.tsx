import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ChevronLeft } from "lucide-react";
import { TestClockBadge } from "@/components/console/test-clock-badge";
import { requireStaff } from "@/lib/console/staff-context";
import { ServiceError } from "@/lib/services/errors";
import { getCustomerOverview } from "@/lib/services/queries/customers";
import { CardsSection } from "./_components/cards-section";
import { ContractsSection } from "./_components/contracts-section";
import { InvoicesSection } from "./_components/invoices-section";
import { MailsSection } from "./_components/mails-section";
import { ProfileCard } from "./_components/profile-card";

type Props = { params: Promise<{ id: string }> };

/** The customer of this merchant, or the console's not-found page: another merchant's id reveals nothing. */
async function load(id: string) {
  const { ctx, staff } = await requireStaff();
  try {
    return { overview: await getCustomerOverview(ctx, id), timeZone: staff.merchant.timeZone, now: ctx.clock.now() };
  } catch (error) {
    if (error instanceof ServiceError && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { overview } = await load((await params).id);
  return { title: overview.customer.name };
}

/** One customer, read-only: profile, contracts, cards, invoices and mails. */
export default async function CustomerPage({ params }: Props) {
  const { overview, timeZone, now } = await load((await params).id);
  const t = await getTranslations("customers.detail");
  const { customer } = overview;
  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <nav aria-label={t("breadcrumb")}>
        <Link href="/console/customers" className="inline-flex items-center gap-1 text-sm font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600">
          <ChevronLeft className="h-4 w-4" aria-hidden />
          {t("back")}
        </Link>
      </nav>
      <header>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold">{customer.name}</h1>
          {overview.testClock ? <TestClockBadge clock={overview.testClock} testId="test-clock-badge" /> : null}
        </div>
        <p className="mt-1 text-sm text-slate-600">{t("readOnly")}</p>
      </header>
      <ProfileCard customer={customer} testClock={overview.testClock} />
      <ContractsSection contracts={overview.contracts} />
      <CardsSection cards={overview.cards} timeZone={timeZone} now={now} />
      <InvoicesSection invoices={overview.invoices} />
      <MailsSection mails={overview.mails} />
    </div>
  );
}
