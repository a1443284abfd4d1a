import { getTranslations } from "next-intl/server";
import type { MailStatus } from "@/lib/mail/mail-settings";

const WORDED = ["disabled_for_product", "disabled_for_merchant", "no_mail_provider", "suppressed"] as const;

/** Why a mail is skipped, suppressed, failed or not delivered, in words when the code is known. */
export async function StatusReason({ status, reason }: { status: MailStatus; reason: string | null }) {
  const t = await getTranslations("outbox.reason");
  const code = reason ?? (status === "suppressed" ? "suppressed" : null);
  if (!code) return null;
  const known = (WORDED as readonly string[]).includes(code);
  return (
    <span className="text-slate-700" data-testid="status-reason">
      {known ? t(code as (typeof WORDED)[number]) : t("other", { reason: code })}
    </span>
  );
}
