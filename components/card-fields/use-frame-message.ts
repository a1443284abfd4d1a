"use client";

import { type RefObject, useEffect, useRef } from "react";
import { type CardFieldsMessage, isCardFieldsMessage } from "./messages";

/**
 * Whose messages a frame's answer may come from: the origin of the page the frame loaded (`frame`: the sandbox's
 * hosted pages), or this page's own origin (`self`: a gateway page that returns the frame to one of our pages when it
 * is done, as Stripe's 3-D Secure page returns to /card-fields/stripe-return).
 */
export type FrameMessageOrigin = "frame" | "self";

/**
 * Listens to one gateway frame: a message counts only if it comes from that frame's window and from the expected
 * origin, and has the card fields' shape.
 */
export function useFrameMessage(frame: RefObject<HTMLIFrameElement | null>, src: string, onMessage: (message: CardFieldsMessage) => void, expectedOrigin: FrameMessageOrigin = "frame") {
  const handler = useRef(onMessage);
  useEffect(() => {
    handler.current = onMessage;
  });
  useEffect(() => {
    const origin = expectedOrigin === "self" ? window.location.origin : new URL(src, window.location.href).origin;
    const listen = (event: MessageEvent) => {
      if (event.origin !== origin || event.source !== frame.current?.contentWindow || !isCardFieldsMessage(event.data)) return;
      handler.current(event.data);
    };
    window.addEventListener("message", listen);
    return () => window.removeEventListener("message", listen);
  }, [frame, src, expectedOrigin]);
}
