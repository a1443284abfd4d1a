"use client";

import { useTranslations } from "next-intl";
import type { CardForm } from "@/lib/services/queries/card-form";
import { CardChallenge, HostedCardFields } from "./hosted-card-fields";
import { StripeCardFields } from "./stripe-card-fields";

/**
 * The merchant's card form (cardFormFor): the sandbox's hosted fields, Stripe's Payment Element, or, when the
 * merchant's Stripe account has no publishable key, a message that no card can be taken here. Every form gives
 * `onToken` the same one-time token for the server; `onUnavailable` tells the form that no card can be entered
 * (Stripe.js did not load), so that it keeps its submit disabled. Remount it (a new `key`) for another card.
 */
export function CardFields({ form, title, onToken, onUnavailable }: { form: CardForm; title: string; onToken: (card: { token: string; last4: string }) => void; onUnavailable: () => void }) {
  const t = useTranslations("cardFields");
  switch (form.kind) {
    case "sandbox":
      return <HostedCardFields title={title} onToken={onToken} />;
    case "stripe":
      return <StripeCardFields publishableKey={form.publishableKey} title={title} onToken={onToken} onUnavailable={onUnavailable} />;
    case "unavailable":
      return (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800" data-testid="card-fields-unavailable">
          {t("unavailable")}
        </p>
      );
  }
}

/** The issuer's 3-D Secure page for this card form: Stripe's answers through our return page (our own origin). */
export function CardFormChallenge({ form, ...props }: { form: CardForm; title: string; actionUrl: string; onResult: (outcome: "succeeded" | "failed") => void }) {
  return <CardChallenge {...props} answeredFrom={form.kind === "stripe" ? "self" : "frame"} />;
}

/** Why the form's submit is disabled when no card can be entered; the submit names it (aria-describedby). */
export function CardSubmitBlocked({ id }: { id: string }) {
  const t = useTranslations("cardFields");
  return (
    <p id={id} className="text-sm text-red-800" data-testid="card-submit-blocked">
      {t("submitBlocked")}
    </p>
  );
}
