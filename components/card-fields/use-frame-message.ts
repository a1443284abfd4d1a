"use client";

import { type RefObject, useEffect, useRef } from "react";
import { type CardFieldsMessage, isCardFieldsMessage } from "./messages";

/**
 * Listens to one gateway frame: a message counts only if it comes from that frame's window and from the origin of
 * the page it loaded, and has the card fields' shape.
 */
export function useFrameMessage(frame: RefObject<HTMLIFrameElement | null>, src: string, onMessage: (message: CardFieldsMessage) => void) {
  const handler = useRef(onMessage);
  useEffect(() => {
    handler.current = onMessage;
  });
  useEffect(() => {
    const origin = new URL(src, window.location.href).origin;
    const listen = (event: MessageEvent) => {
      if (event.origin !== origin || event.source !== frame.current?.contentWindow || !isCardFieldsMessage(event.data)) return;
      handler.current(event.data);
    };
    window.addEventListener("message", listen);
    return () => window.removeEventListener("message", listen);
  }, [frame, src]);
}
