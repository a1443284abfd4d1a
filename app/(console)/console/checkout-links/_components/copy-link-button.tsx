"use client";

import { useTranslations } from "next-intl";
import { CopyTextButton } from "@/components/console/copy-text-button";

/** Copies a checkout link to the clipboard and says so; where the browser refuses, says to copy it by hand. */
export function CopyLinkButton({ url, label }: { url: string; label: string }) {
  const t = useTranslations("checkoutLinks.list");
  return <CopyTextButton text={url} labels={{ copy: t("copy"), copyLabel: label, copied: t("copied"), copyFailed: t("copyFailed") }} />;
}
