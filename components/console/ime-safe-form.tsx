"use client";

import type { ComponentProps, KeyboardEvent } from "react";

/**
 * A form that an IME's Enter does not submit: the Enter that confirms a Japanese conversion (isComposing, or
 * keyCode 229 in browsers that end composition first) is kept from the form's implicit submission (UI.md).
 */
export function ImeSafeForm({ onKeyDown, ...props }: ComponentProps<"form">) {
  function keyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === "Enter" && (event.nativeEvent.isComposing || event.keyCode === 229)) event.preventDefault();
    onKeyDown?.(event);
  }
  return <form noValidate onKeyDown={keyDown} {...props} />;
}
