"use client";

import { useEffect, useSyncExternalStore } from "react";
import type { CardFieldsMessage } from "@/components/card-fields/messages";

const inFrame = () => window.parent !== window;

/** Posts the 3-D Secure outcome to the page that frames this one (our own origin only), and says what happens. */
export function StripeReturnNotice({ outcome, setupIntent, framedText, aloneText }: { outcome: "succeeded" | "failed"; setupIntent: string | null; framedText: string; aloneText: string }) {
  // Known only in the browser: the server renders the text for a page opened on its own.
  const framed = useSyncExternalStore(
    () => () => {},
    inFrame,
    () => false,
  );
  useEffect(() => {
    if (!inFrame()) return;
    const message: CardFieldsMessage = { source: "keizoku-card-fields", type: "challenge", outcome };
    window.parent.postMessage(message, window.location.origin);
  }, [outcome]);
  return (
    <p role="status" className="text-sm text-slate-700" data-testid="stripe-return" data-setup-intent={setupIntent ?? undefined}>
      {framed ? framedText : aloneText}
    </p>
  );
}
