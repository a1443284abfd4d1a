"use client";

import { Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/** Copies a checkout link to the clipboard and says so; where the browser refuses, says to copy it by hand. */
export function CopyLinkButton({ url, label }: { url: string; label: string }) {
  const t = useTranslations("checkoutLinks.list");
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      toast.success(t("copied"));
    } catch {
      toast.error(t("copyFailed"));
    }
  }
  return (
    <Button variant="secondary" size="sm" onClick={copy} aria-label={label}>
      <Copy className="h-3 w-3" aria-hidden />
      {t("copy")}
    </Button>
  );
}
