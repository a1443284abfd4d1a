"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, useTransition } from "react";
import { CardChallenge } from "@/components/card-fields/hosted-card-fields";
import { Button } from "@/components/ui/button";
import { DoneNotice } from "../../../_components/link-page";
import { completeAuthentication, type PaymentState, startAuthentication } from "../actions";

/**
 * The button 「本人認証して支払う」: the server asks the gateway for the customer's step on the declined charge. The
 * sandbox's challenge opens in a frame here and, answered, the payment is completed; an issuer's page elsewhere
 * (Stripe's 3-D Secure) is gone to, and comes back through ./return. A failed or abandoned authentication says so
 * and lets the customer try again.
 */
export function AuthenticatePayment({ token, sandbox, returnedError }: { token: string; sandbox: boolean; returnedError: string | null }) {
  const t = useTranslations("payment");
  const [state, setState] = useState<PaymentState>(returnedError ? { status: "error", message: returnedError } : { status: "idle" });
  const [pending, startTransition] = useTransition();
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status === "error") alertRef.current?.focus();
    if (state.status === "redirect") window.location.assign(state.actionUrl);
  }, [state]);

  const run = (action: (token: string) => Promise<PaymentState>) =>
    startTransition(async () => {
      setState(await action(token));
    });

  if (state.status === "done") {
    return <DoneNotice title={state.title} lines={[state.text]} testId="payment-done" />;
  }

  return (
    <div className="flex flex-col gap-4">
      <h2 className="text-base font-semibold">{t("form.heading")}</h2>
      {sandbox ? <p className="rounded-md bg-amber-50 p-3 text-xs text-amber-900 ring-1 ring-amber-200 ring-inset">{t("form.sandbox")}</p> : null}
      {state.status === "error" ? (
        <div ref={alertRef} tabIndex={-1} role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800" data-testid="payment-error">
          {state.message}
        </div>
      ) : null}
      {state.status === "challenge" ? (
        <div className="flex flex-col gap-2">
          <p className="text-sm font-medium">{t("form.challengeHeading")}</p>
          <p className="text-sm text-slate-700">{t("form.challengeLead")}</p>
          <CardChallenge title={t("form.challengeFrameTitle")} actionUrl={state.actionUrl} onResult={() => run(completeAuthentication)} />
          {pending ? <p role="status" className="text-sm text-slate-700">{t("form.checking")}</p> : null}
        </div>
      ) : state.status === "error" && state.final ? null : (
        <>
          <p className="text-sm text-slate-700">{t("form.text")}</p>
          <Button type="button" className="self-start" disabled={pending || state.status === "redirect"} onClick={() => run(startAuthentication)}>
            {pending || state.status === "redirect" ? t("form.submitting") : t("form.submit")}
          </Button>
        </>
      )}
    </div>
  );
}
