"use client";

import type { CSSProperties } from "react";
import { Toaster as Sonner } from "sonner";

// Sonner's rich colours put their text at about 4.2:1 on its tinted backgrounds, under WCAG AA's 4.5:1 (axe flags
// them): darker text on the same backgrounds.
const READABLE = {
  "--success-text": "#166534",
  "--error-text": "#991b1b",
  "--warning-text": "#854d0e",
  "--info-text": "#075985",
} as CSSProperties;

/** Where action results appear (sonner); mounted once per layout. */
export function Toaster() {
  return <Sonner position="top-right" richColors closeButton style={READABLE} />;
}
