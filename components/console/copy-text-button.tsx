"use client";

import { Copy } from "lucide-react";
import { toast } from "sonner";
import { Button, type ButtonProps } from "@/components/ui/button";

export type CopyTextLabels = { copy: string; copyLabel: string; copied: string; copyFailed: string };

/** Copies a text (a URL to give another system) to the clipboard and says so; where the browser refuses, says to copy it by hand. */
export function CopyTextButton({ text, labels, size = "sm" }: { text: string; labels: CopyTextLabels; size?: ButtonProps["size"] }) {
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      toast.success(labels.copied);
    } catch {
      toast.error(labels.copyFailed);
    }
  }
  return (
    <Button variant="secondary" size={size} onClick={copy} aria-label={labels.copyLabel}>
      <Copy className={size === "sm" ? "h-3 w-3" : "h-4 w-4"} aria-hidden />
      {labels.copy}
    </Button>
  );
}
