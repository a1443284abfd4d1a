"use client";

import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
// The pure entry point loads Stripe.js only when loadStripe is called: pages of sandbox merchants never fetch it.
import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/** How long Stripe.js may take to load before the customer is told it could not (a network that drops the request silently). */
const LOAD_TIMEOUT_MS = 15_000;

/** One Stripe.js per publishable key and page; a load that failed is tried again when the fields are shown again. */
const loads = new Map<string, Promise<Stripe | null>>();
function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let load = loads.get(publishableKey);
  if (!load) {
    load = new Promise<Stripe | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("Stripe.js did not load in time")), LOAD_TIMEOUT_MS);
      loadStripe(publishableKey)
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
    loads.set(publishableKey, load);
    load.catch(() => loads.delete(publishableKey));
  }
  return load;
}

/**
 * Stripe's Payment Element (Stripe.js from js.stripe.com, with the merchant's publishable key) in our page: the card
 * is typed into Stripe's own fields, and 「このカードを使う」 makes a PaymentMethod (paymentMethodCreation "manual")
 * whose id is the one-time token the server sets up — the same `onToken` as the sandbox's HostedCardFields. When
 * Stripe.js cannot load, the customer is told so and `onUnavailable` lets the form keep its submit disabled.
 * Remount it (a new `key`) to let the customer enter another card.
 */
export function StripeCardFields({
  publishableKey,
  title,
  onToken,
  onUnavailable,
}: {
  publishableKey: string;
  title: string;
  onToken: (card: { token: string; last4: string }) => void;
  onUnavailable: () => void;
}) {
  const t = useTranslations("cardFields");
  const locale = useLocale() === "en" ? "en" : "ja";
  const [stripe, setStripe] = useState<Stripe | "loading" | "failed">("loading");

  useEffect(() => {
    let current = true;
    const failed = () => {
      if (!current) return;
      setStripe("failed");
      onUnavailable();
    };
    stripeFor(publishableKey).then((loaded) => (loaded ? current && setStripe(loaded) : failed()), failed);
    return () => {
      current = false;
    };
    // onUnavailable is the form's setter: the load is not repeated when the form renders again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [publishableKey]);

  if (stripe === "failed") {
    return (
      <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800" data-testid="card-fields-error">
        {t("loadFailed")}
      </p>
    );
  }
  if (stripe === "loading") {
    return (
      <p role="status" className="text-sm text-slate-700" data-testid="card-fields-loading">
        {t("loading")}
      </p>
    );
  }
  return (
    <Elements stripe={stripe} options={{ mode: "setup", currency: "jpy", paymentMethodCreation: "manual", allowedPaymentMethodTypes: ["card"], locale }}>
      <PaymentElementForm
        title={title}
        onToken={onToken}
        onLoadError={() => {
          setStripe("failed");
          onUnavailable();
        }}
      />
    </Elements>
  );
}

function PaymentElementForm({ title, onToken, onLoadError }: { title: string; onToken: (card: { token: string; last4: string }) => void; onLoadError: () => void }) {
  const t = useTranslations("cardFields");
  const stripe = useStripe();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function makePaymentMethod() {
    if (!stripe || !elements) return;
    setPending(true);
    setError(null);
    try {
      // Stripe's documented order for a PaymentMethod made from the Payment Element: validate (submit), then create.
      const submitted = await elements.submit();
      if (submitted.error) return setError(submitted.error.message ?? t("invalid"));
      const { error: refused, paymentMethod } = await stripe.createPaymentMethod({ elements });
      if (refused || !paymentMethod) return setError(refused?.message ?? t("invalid"));
      onToken({ token: paymentMethod.id, last4: paymentMethod.card?.last4 ?? "" });
    } finally {
      setPending(false);
    }
  }

  return (
    <div role="group" aria-label={title} className="flex flex-col gap-3" data-testid="card-fields">
      <PaymentElement onReady={() => setReady(true)} onLoadError={onLoadError} />
      {ready ? null : (
        <p role="status" className="text-sm text-slate-700">
          {t("loading")}
        </p>
      )}
      {error ? (
        <p role="alert" className="text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <Button type="button" variant="secondary" className="self-start" disabled={!ready || pending} onClick={() => void makePaymentMethod()}>
        {pending ? t("checking") : t("useCard")}
      </Button>
    </div>
  );
}
