"use client";

import { Toaster as Sonner } from "sonner";

/** Where action results appear (sonner); mounted once per layout. */
export function Toaster() {
  return <Sonner position="top-right" richColors closeButton />;
}
