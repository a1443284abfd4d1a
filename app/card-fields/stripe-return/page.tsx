import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { StripeReturnNotice } from "./stripe-return-notice";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ setup_intent?: string | string[]; redirect_status?: string | string[] }> };

// Stripe's redirect carries the SetupIntent's client secret in the query: it is not sent on to anyone (no-referrer).
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("cardFields"))("returnTitle"), robots: { index: false, follow: false }, referrer: "no-referrer" };
}

/**
 * Where Stripe's 3-D Secure page, shown in a frame of the checkout or card page, returns when the customer is done
 * with a card's setup (the adapter's STRIPE_SETUP_RETURN_PATH): it tells the embedding page the outcome, which then
 * sends the card again and the server reads the SetupIntent for itself (the outcome here is only a signal). Opened
 * outside a frame, it says the authentication is over.
 */
export default async function StripeReturnPage({ searchParams }: Props) {
  const { setup_intent: setupIntent, redirect_status: status } = await searchParams;
  const t = await getTranslations("cardFields");
  const outcome = status === "succeeded" ? "succeeded" : "failed";
  return (
    <main className="flex flex-col gap-2 bg-white p-4">
      <h1 className="text-base font-semibold">{t("returnTitle")}</h1>
      <StripeReturnNotice outcome={outcome} setupIntent={typeof setupIntent === "string" ? setupIntent : null} framedText={t("returnFramed")} aloneText={t("returnAlone")} />
    </main>
  );
}
