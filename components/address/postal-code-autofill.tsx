"use client";

import { useTranslations } from "next-intl";
import { type CompositionEvent, type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Label, NativeSelect } from "@/components/ui/input";
import { normalizePostalCode } from "@/lib/address/postal-code";
import type { AddressCandidate } from "@/lib/address/postal-code-lookup";

type Status =
  | { kind: "idle" | "searching" | "notFound" | "failed" }
  | { kind: "found"; address: string; filled: boolean }
  | { kind: "choose"; candidates: AddressCandidate[]; chosen: number | null; filled: boolean };

type Options<K extends string> = {
  /** The current values of the fields a lookup may fill. */
  values: Record<K, string>;
  /** How a candidate reads in those fields (the form decides where the town goes). */
  toFields: (candidate: AddressCandidate) => Record<K, string>;
  /** Sets some of them. */
  fill: (patch: Partial<Record<K, string>>) => void;
};

export type PostalCodeAutofill = ReturnType<typeof usePostalCodeAutofill>;

const addressOf = (c: AddressCandidate) => `${c.prefecture}${c.city}${c.town}`;

/**
 * Fills a form's address from its postal code once 7 digits are typed (not while an IME is still composing them):
 * asks /api/address-lookup and fills the fields that are empty or still hold what an earlier lookup put there, never
 * what the customer typed. Several candidates are offered to choose from; where they share the prefecture and city,
 * those are filled at once. Spread `postalCodeProps` on the postal code input and render <PostalCodeAutofillStatus>.
 */
export function usePostalCodeAutofill<K extends string>(options: Options<K>) {
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  // Read when an answer arrives, which may be after later renders: the latest values, not those of the keystroke.
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const filled = useRef<Partial<Record<K, string>>>({});
  const lastCode = useRef<string | null>(null);
  const composing = useRef(false);
  const inFlight = useRef<AbortController | null>(null);

  /** Fills what is still the lookup's to fill; says whether anything was. */
  function apply(candidate: AddressCandidate): boolean {
    const { values, toFields, fill } = latest.current;
    const next = toFields(candidate);
    const patch: Partial<Record<K, string>> = {};
    for (const key of Object.keys(next) as K[]) {
      if (values[key] === "" || values[key] === filled.current[key]) patch[key] = next[key];
    }
    if (Object.keys(patch).length === 0) return false;
    filled.current = { ...filled.current, ...patch };
    fill(patch);
    return true;
  }

  function check(value: string) {
    const code = normalizePostalCode(value);
    if (code === lastCode.current) return;
    lastCode.current = code;
    inFlight.current?.abort();
    inFlight.current = null;
    if (!code) {
      setStatus({ kind: "idle" });
      return;
    }
    const controller = new AbortController();
    inFlight.current = controller;
    setStatus({ kind: "searching" });
    fetch(`/api/address-lookup?postalCode=${code}`, { signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`address lookup: HTTP ${response.status}`);
        const { candidates } = (await response.json()) as { candidates: AddressCandidate[] };
        if (controller.signal.aborted) return;
        inFlight.current = null;
        if (candidates.length === 0) return setStatus({ kind: "notFound" });
        if (candidates.length === 1) return setStatus({ kind: "found", address: addressOf(candidates[0]!), filled: apply(candidates[0]!) });
        const [first] = candidates as [AddressCandidate];
        const shared = candidates.every((c) => c.prefecture === first.prefecture && c.city === first.city);
        setStatus({ kind: "choose", candidates, chosen: null, filled: shared && apply({ ...first, town: "" }) });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        console.error(error);
        // Typing the same code again tries again.
        lastCode.current = null;
        inFlight.current = null;
        setStatus({ kind: "failed" });
      });
  }

  function choose(index: number | null) {
    if (status.kind !== "choose") return;
    const candidate = index === null ? null : status.candidates[index];
    setStatus({ ...status, chosen: candidate ? index : null, filled: candidate ? apply(candidate) : status.filled });
  }

  // Abandon an answer still on its way when the form goes away.
  useEffect(() => () => inFlight.current?.abort(), []);

  return {
    status,
    choose,
    postalCodeProps: {
      onInput: (event: FormEvent<HTMLInputElement>) => {
        if (composing.current || (event.nativeEvent as InputEvent).isComposing) return;
        check(event.currentTarget.value);
      },
      onCompositionStart: () => {
        composing.current = true;
      },
      // The text an IME confirms may come with no input event after compositionend (Chrome sends it before).
      onCompositionEnd: (event: CompositionEvent<HTMLInputElement>) => {
        composing.current = false;
        check(event.currentTarget.value);
      },
    },
  };
}

/** What the lookup found, announced politely, and the list to choose from when a code has several addresses. */
export function PostalCodeAutofillStatus({ autofill }: { autofill: PostalCodeAutofill }) {
  const t = useTranslations("addressLookup");
  const selectId = useId();
  const { status, choose } = autofill;
  let message: string | null = null;
  if (status.kind === "searching") message = t("searching");
  else if (status.kind === "notFound") message = t("notFound");
  else if (status.kind === "failed") message = t("failed");
  else if (status.kind === "found") message = t(status.filled ? "filled" : "kept", { address: status.address });
  else if (status.kind === "choose") {
    const chosen = status.chosen === null ? null : status.candidates[status.chosen];
    message = chosen ? t(status.filled ? "filled" : "kept", { address: addressOf(chosen) }) : t("choose", { count: status.candidates.length });
  }
  return (
    <>
      {/* Always in the page, so that screen readers announce each new message. */}
      <p role="status" className="text-sm text-slate-700" data-testid="postal-code-status">
        {message}
      </p>
      {status.kind === "choose" ? (
        <div className="flex flex-col gap-1">
          <Label htmlFor={selectId}>{t("candidates")}</Label>
          <NativeSelect id={selectId} value={status.chosen ?? ""} onChange={(e) => choose(e.target.value === "" ? null : Number(e.target.value))}>
            <option value="">{t("choosePlaceholder")}</option>
            {status.candidates.map((c, i) => (
              <option key={addressOf(c)} value={i}>
                {addressOf(c)}
              </option>
            ))}
          </NativeSelect>
        </div>
      ) : null}
    </>
  );
}
