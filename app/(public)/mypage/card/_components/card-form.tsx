"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useRef, useState, useTransition } from "react";
import { CardFields, CardFormChallenge, CardSubmitBlocked } from "@/components/card-fields/card-fields";
import { Button } from "@/components/ui/button";
import type { CardForm as CardFormKind } from "@/lib/services/queries/card-form";
import { DoneNotice } from "../../../_components/link-page";
import { type CardFormState, submitCard } from "../actions";

/**
 * The new card, typed into the gateway's own card form (the sandbox's hosted fields, or Stripe's Payment Element:
 * cardFormFor): this page receives only a one-time token and sends that to the server. When no card can be entered
 * there, the submit stays disabled and says why. A card that asks for 3-D Secure shows the issuer's challenge; answered, the same token is
 * sent again. A refused card, a failed authentication or a decline of what is owed clears the card, says why, and
 * lets the customer enter another.
 */
export function CardForm({ token, payLabel, cardForm }: { token: string; payLabel: string | null; cardForm: CardFormKind }) {
  const t = useTranslations("cardUpdate");
  const tCard = useTranslations("cardFields");
  const sandbox = cardForm.kind === "sandbox";
  const [cardUnavailable, setCardUnavailable] = useState(cardForm.kind === "unavailable");
  const [state, setState] = useState<CardFormState>({ status: "idle" });
  const [card, setCard] = useState<{ token: string; last4: string } | null>(null);
  const [cardFrame, setCardFrame] = useState(0);
  const [pending, startTransition] = useTransition();
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status === "error") alertRef.current?.focus();
  }, [state]);

  function send(cardToken: string | null) {
    startTransition(async () => {
      const result = await submitCard(token, cardToken);
      setState(result);
      if (result.status === "error" && result.cardRefused) {
        setCard(null);
        setCardFrame((n) => n + 1);
      }
    });
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(card?.token ?? null);
  };

  if (state.status === "done") {
    return <DoneNotice title={state.title} lines={state.lines} testId="card-updated" />;
  }

  const challenge = state.status === "challenge" ? state.actionUrl : null;
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate aria-labelledby="card-form-heading">
      <h2 id="card-form-heading" className="text-base font-semibold">
        {t("form.heading")}
      </h2>
      {sandbox ? <p className="rounded-md bg-amber-50 p-3 text-xs text-amber-900 ring-1 ring-amber-200 ring-inset">{t("form.sandbox")}</p> : null}
      {state.status === "error" ? (
        <div ref={alertRef} tabIndex={-1} role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800" data-testid="card-error">
          {state.message}
        </div>
      ) : null}

      <p className="text-sm text-slate-700" data-testid="card-status">
        {card ? t("form.cardReady", { last4: card.last4 }) : cardForm.kind === "sandbox" ? t("form.cardNeeded") : cardForm.kind === "stripe" ? tCard("stripeNeeded") : null}
      </p>
      {challenge ? (
        <div className="flex flex-col gap-2">
          <p className="text-sm font-medium">{t("form.challengeHeading")}</p>
          <p className="text-sm text-slate-700">{t("form.challengeLead")}</p>
          <CardFormChallenge
            form={cardForm}
            title={t("form.challengeFrameTitle")}
            actionUrl={challenge}
            onResult={() => {
              setState({ status: "idle" });
              send(card?.token ?? null);
            }}
          />
        </div>
      ) : card ? (
        <Button
          type="button"
          variant="secondary"
          className="self-start"
          disabled={pending}
          onClick={() => {
            setCard(null);
            setCardFrame((n) => n + 1);
          }}
        >
          {t("form.changeCard")}
        </Button>
      ) : (
        <CardFields
          key={cardFrame}
          form={cardForm}
          title={t("form.frameTitle")}
          onToken={(c) => {
            setCard(c);
            setState({ status: "idle" });
          }}
          onUnavailable={() => setCardUnavailable(true)}
        />
      )}

      {challenge ? null : (
        <>
          <Button type="submit" disabled={pending || cardUnavailable} aria-describedby={cardUnavailable ? "card-submit-blocked" : undefined} className="self-start">
            {pending ? t("form.submitting") : payLabel ? t("form.submitAndPay", { amount: payLabel }) : t("form.submit")}
          </Button>
          {cardUnavailable ? <CardSubmitBlocked id="card-submit-blocked" /> : null}
        </>
      )}
    </form>
  );
}
