"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useRef, useState, useTransition } from "react";
import { CardChallenge, HostedCardFields } from "@/components/card-fields/hosted-card-fields";
import { Button } from "@/components/ui/button";
import { DoneNotice } from "../../../_components/link-page";
import { type CardFormState, submitCard } from "../actions";

/**
 * The new card, typed into the gateway's own card form (hosted fields): this page receives only a one-time token and
 * sends that to the server. A card that asks for 3-D Secure shows the issuer's challenge; answered, the same token is
 * sent again. A refused card, a failed authentication or a decline of what is owed clears the card, says why, and
 * lets the customer enter another.
 */
export function CardForm({ token, payLabel, sandbox }: { token: string; payLabel: string | null; sandbox: boolean }) {
  const t = useTranslations("cardUpdate");
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
        {card ? t("form.cardReady", { last4: card.last4 }) : t("form.cardNeeded")}
      </p>
      {challenge ? (
        <div className="flex flex-col gap-2">
          <p className="text-sm font-medium">{t("form.challengeHeading")}</p>
          <p className="text-sm text-slate-700">{t("form.challengeLead")}</p>
          <CardChallenge title={t("form.challengeFrameTitle")} actionUrl={challenge} onResult={() => {
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
        <HostedCardFields
          key={cardFrame}
          title={t("form.frameTitle")}
          onToken={(c) => {
            setCard(c);
            setState({ status: "idle" });
          }}
        />
      )}

      {challenge ? null : (
        <Button type="submit" disabled={pending} className="self-start">
          {pending ? t("form.submitting") : payLabel ? t("form.submitAndPay", { amount: payLabel }) : t("form.submit")}
        </Button>
      )}
    </form>
  );
}
