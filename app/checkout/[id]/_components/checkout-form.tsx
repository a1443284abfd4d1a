"use client";

import { useTranslations } from "next-intl";
import { type ChangeEvent, type FormEvent, type KeyboardEvent, useState, useTransition } from "react";
import { PostalCodeAutofillStatus, usePostalCodeAutofill } from "@/components/address/postal-code-autofill";
import { CardFields, CardFormChallenge, CardSubmitBlocked } from "@/components/card-fields/card-fields";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";
import { type CheckoutField, type CheckoutValues, submitCheckout } from "../actions";
import { PrefectureSelect } from "@/components/address/prefecture-select";
import type { CardForm } from "@/lib/services/queries/card-form";

type TextField = Exclude<keyof CheckoutValues, "consent">;
const EMPTY: CheckoutValues = { name: "", email: "", phone: "", postalCode: "", prefecture: "", city: "", line1: "", line2: "", password: "", consent: false };

/**
 * The customer's details, the gateway's card fields and the consent. Everything typed stays on an error (the fields
 * are controlled); a refused card or a failed 3-D Secure clears only the card. Names and addresses go through an
 * IME: the Enter that confirms a conversion does not send the form. The card fields are the merchant's card form
 * (cardFormFor); when no card can be entered there, the submit stays disabled and says why.
 */
export function CheckoutForm({ linkId, attempt, collect, cardForm }: { linkId: string; attempt: string; collect: { phone: boolean; address: boolean }; cardForm: CardForm }) {
  const t = useTranslations("checkout.form");
  const tCard = useTranslations("cardFields");
  const [values, setValues] = useState(EMPTY);
  const [card, setCard] = useState<{ token: string; last4: string } | null>(null);
  const [cardFrame, setCardFrame] = useState(0);
  const [challenge, setChallenge] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; field?: CheckoutField } | null>(null);
  // Set when a saved card's first charge was declined: the next card pays that sign-up instead of starting another.
  const [continuation, setContinuation] = useState<string | null>(null);
  // Set when a card waits for 3-D Secure: the card sent again after the challenge is set up for the same customer.
  const [pendingCustomer, setPendingCustomer] = useState<string | null>(null);
  const [cardUnavailable, setCardUnavailable] = useState(cardForm.kind === "unavailable");
  const [pending, startTransition] = useTransition();
  // The town goes with the city: the next field, 番地, is for the block and number.
  const autofill = usePostalCodeAutofill({
    values: { prefecture: values.prefecture, city: values.city },
    toFields: (c) => ({ prefecture: c.prefecture, city: `${c.city}${c.town}` }),
    fill: (patch) => setValues((v) => ({ ...v, ...patch })),
  });

  function send(token: string | null) {
    startTransition(async () => {
      const result = await submitCheckout(linkId, attempt, token, values, continuation, pendingCustomer);
      if (result.ok) {
        window.location.assign(result.redirectTo);
        return;
      }
      if ("actionUrl" in result) {
        setError(null);
        setChallenge(result.actionUrl);
        if (result.pendingCustomer) setPendingCustomer(result.pendingCustomer);
        return;
      }
      setChallenge(null);
      setError({ message: result.message, field: result.field });
      if (result.continuation) setContinuation(result.continuation);
      if (result.cardRefused) {
        setCard(null);
        setCardFrame((n) => n + 1);
      }
      if (result.field) document.getElementById(result.field === "card" ? "card-status" : result.field)?.focus();
    });
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(card?.token ?? null);
  };
  // The Enter that confirms an IME conversion reports isComposing (keyCode 229 in older engines): it must not submit.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === "Enter" && (event.nativeEvent.isComposing || event.keyCode === 229)) event.preventDefault();
  };
  const field = (name: TextField, required = true) => ({
    id: name,
    name,
    value: values[name],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setValues((v) => ({ ...v, [name]: e.target.value })),
    onKeyDown,
    "aria-invalid": error?.field === name || undefined,
    "aria-describedby": error?.field === name ? `${name}-error` : undefined,
    required,
    disabled: pending,
  });
  const fieldError = (name: CheckoutField) => <FieldError id={`${name}-error`}>{error?.field === name ? error.message : null}</FieldError>;

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-labelledby="details-heading">
      <h2 id="details-heading" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      {error && !error.field ? (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {error.message}
        </div>
      ) : null}
      <div className="flex flex-col gap-1">
        <Label htmlFor="name">{t("name")}</Label>
        <Input {...field("name")} autoComplete="name" maxLength={200} />
        {fieldError("name")}
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="email">{t("email")}</Label>
        <Input {...field("email")} type="email" autoComplete="email" maxLength={200} />
        {fieldError("email")}
      </div>
      {collect.phone ? (
        <div className="flex flex-col gap-1">
          <Label htmlFor="phone">{t("phone")}</Label>
          <Input {...field("phone")} type="tel" autoComplete="tel" maxLength={20} />
          {fieldError("phone")}
        </div>
      ) : null}
      {collect.address ? (
        <fieldset className="flex flex-col gap-3">
          <legend className="mb-1 text-sm font-medium text-slate-800">{t("address")}</legend>
          <div className="flex w-40 flex-col gap-1">
            <Label htmlFor="postalCode">{t("postalCode")}</Label>
            <Input {...field("postalCode")} {...autofill.postalCodeProps} inputMode="numeric" autoComplete="postal-code" maxLength={10} />
          </div>
          {fieldError("postalCode")}
          <PostalCodeAutofillStatus autofill={autofill} />
          <div className="flex w-48 flex-col gap-1">
            <Label htmlFor="prefecture">{t("prefecture")}</Label>
            <PrefectureSelect {...field("prefecture")} placeholder={t("choosePrefecture")} />
          </div>
          {fieldError("prefecture")}
          <div className="flex flex-col gap-1">
            <Label htmlFor="city">{t("city")}</Label>
            <Input {...field("city")} autoComplete="address-level2" maxLength={100} />
            {fieldError("city")}
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="line1">{t("line1")}</Label>
            <Input {...field("line1")} autoComplete="address-line1" maxLength={200} />
            {fieldError("line1")}
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="line2">{t("line2")}</Label>
            <Input {...field("line2", false)} autoComplete="address-line2" maxLength={200} />
          </div>
        </fieldset>
      ) : null}
      <div className="flex flex-col gap-1">
        <Label htmlFor="password">{t("password")}</Label>
        <Input {...field("password", false)} type="password" autoComplete="new-password" maxLength={200} aria-describedby={error?.field === "password" ? "password-error password-hint" : "password-hint"} />
        <p id="password-hint" className="text-xs text-slate-600">
          {t("passwordHint")}
        </p>
        {fieldError("password")}
      </div>

      <section aria-labelledby="card-heading" className="flex flex-col gap-2">
        <h3 id="card-heading" className="text-sm font-medium text-slate-800">
          {t("card")}
        </h3>
        <p id="card-status" tabIndex={-1} className="text-sm text-slate-700" data-testid="card-status">
          {card ? t("cardReady", { last4: card.last4 }) : cardForm.kind === "sandbox" ? t("cardNeeded") : cardForm.kind === "stripe" ? tCard("stripeNeeded") : null}
        </p>
        {fieldError("card")}
        {challenge ? (
          <div className="flex flex-col gap-2">
            <p className="text-sm font-medium">{t("challengeHeading")}</p>
            <CardFormChallenge
              form={cardForm}
              title={t("challengeFrameTitle")}
              actionUrl={challenge}
              onResult={() => {
                setChallenge(null);
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
            {t("changeCard")}
          </Button>
        ) : (
          <CardFields
            key={cardFrame}
            form={cardForm}
            title={t("cardFrameTitle")}
            onToken={(c) => {
              setCard(c);
              if (error?.field === "card") setError(null);
            }}
            onUnavailable={() => setCardUnavailable(true)}
          />
        )}
      </section>

      <div className="flex flex-col gap-1">
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            id="consent"
            name="consent"
            className="mt-1 size-4"
            checked={values.consent}
            onChange={(e) => setValues((v) => ({ ...v, consent: e.target.checked }))}
            aria-invalid={error?.field === "consent" || undefined}
            aria-describedby={error?.field === "consent" ? "consent-error" : undefined}
            disabled={pending}
          />
          <span>{t("consent")}</span>
        </label>
        {fieldError("consent")}
      </div>
      <Button type="submit" disabled={pending || cardUnavailable} aria-describedby={cardUnavailable ? "card-submit-blocked" : undefined} className="self-start">
        {pending ? t("submitting") : t("submit")}
      </Button>
      {cardUnavailable ? <CardSubmitBlocked id="card-submit-blocked" /> : null}
    </form>
  );
}
