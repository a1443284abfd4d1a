import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { declineKind } from "@/lib/billing/decline";

type DeclineTranslator = ReturnType<typeof useTranslations<"declines">>;

/** A decline code's name for people (「残高・利用可能枠の不足」), or the code itself in a generic sentence. */
export function declineTitle(t: DeclineTranslator, code: string | null): string {
  const known = code ? `code.${code}.title` : null;
  return known && t.has(known as "code.card_declined.title") ? t(known as "code.card_declined.title") : t("unknown.title", { code: code ?? "unknown" });
}

function declineText(t: DeclineTranslator, code: string | null): string {
  const known = code ? `code.${code}.explanation` : null;
  return known && t.has(known as "code.card_declined.explanation") ? t(known as "code.card_declined.explanation") : t("unknown.explanation");
}

/**
 * Why a card was declined, for the merchant: what the code means, whether another try can help (soft), the
 * customer needs a new card (hard) or must authenticate the charge (authentication, lib/billing/decline.ts), and the
 * code itself for the gateway's support.
 */
export function DeclineExplanation({ code }: { code: string | null }) {
  const t = useTranslations("declines");
  const kind = declineKind(code);
  return (
    <div className="flex flex-col gap-1 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{declineTitle(t, code)}</span>
        <Badge tone={kind === "hard" ? "danger" : kind === "authentication" ? "info" : "warning"} title={t(`${kind}Hint`)}>
          {t(kind)}
        </Badge>
        {code ? <code className="text-xs text-slate-600">{code}</code> : null}
      </p>
      <p className="text-slate-700">{declineText(t, code)}</p>
      <p className="text-xs text-slate-600">{t(`${kind}Hint`)}</p>
    </div>
  );
}
