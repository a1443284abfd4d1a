"use client";

import { useLocale } from "next-intl";
import { useRef } from "react";
import { type FrameMessageOrigin, useFrameMessage } from "./use-frame-message";

/** Where the sandbox gateway serves its card form; a real gateway's component (Stripe's Payment Element) takes this place. */
export const SANDBOX_CARD_FORM_URL = "/sandbox-gateway/card-form";

/**
 * Gateway-hosted card fields: the card is typed into the gateway's own page in a frame, and this page receives only
 * a one-time token. Remount it (a new `key`) to let the customer enter another card.
 */
export function HostedCardFields({ title, onToken, src = SANDBOX_CARD_FORM_URL }: { title: string; onToken: (card: { token: string; last4: string }) => void; src?: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  // The gateway's page speaks the visitor's language (the same cookie): loaded again when it is switched here.
  const locale = useLocale();
  useFrameMessage(frame, src, (message) => {
    if (message.type === "token") onToken({ token: message.token, last4: message.last4 });
  });
  return <iframe key={locale} ref={frame} src={src} title={title} className="h-72 w-full rounded-md border border-slate-300" data-testid="card-fields" />;
}

/**
 * The issuer's 3-D Secure challenge (the gateway's `actionUrl`) in a frame; `onResult` gets the customer's answer.
 * `answeredFrom`: where the answer is posted from — the challenge page itself (the sandbox's), or our own page the
 * gateway returns the frame to (`self`: Stripe's, through /card-fields/stripe-return).
 */
export function CardChallenge({ title, actionUrl, onResult, answeredFrom = "frame" }: { title: string; actionUrl: string; onResult: (outcome: "succeeded" | "failed") => void; answeredFrom?: FrameMessageOrigin }) {
  const frame = useRef<HTMLIFrameElement>(null);
  useFrameMessage(
    frame,
    actionUrl,
    (message) => {
      if (message.type === "challenge") onResult(message.outcome);
    },
    answeredFrom,
  );
  // An issuer's own 3-D Secure page needs about 400 px (Stripe's guidance for showing it in a frame); the sandbox's is short.
  const height = answeredFrom === "self" ? "h-[26rem]" : "h-56";
  return <iframe ref={frame} src={actionUrl} title={title} className={`${height} w-full rounded-md border border-slate-300`} data-testid="card-challenge" />;
}
