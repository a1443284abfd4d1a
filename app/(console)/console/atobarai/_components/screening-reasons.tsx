import { useFormatter, useTranslations } from "next-intl";
import type { ScreeningReason } from "@/lib/billing/atobarai/screening";

/** Why screening decided as it did, rule by rule, in words the merchant can read. */
export function ScreeningReasons({ reasons }: { reasons: ScreeningReason[] }) {
  const t = useTranslations("atobarai.reasons");
  const format = useFormatter();
  const yen = (n: number) => format.number(n, { style: "currency", currency: "JPY" });
  if (reasons.length === 0) return <p className="text-sm text-slate-700">{t("none")}</p>;
  return (
    <ul className="list-disc pl-5 text-sm text-slate-800">
      {reasons.map((r, i) => (
        <li key={i}>
          {r.rule === "amount_limit"
            ? t("amount_limit", { amount: yen(r.amount), limit: yen(r.limit) })
            : r.rule === "buyer_outstanding"
              ? t("buyer_outstanding", { outstanding: yen(r.outstanding), amount: yen(r.amount), limit: yen(r.limit) })
              : r.rule === "repeat_defaulter"
                ? t("repeat_defaulter", { defaults: r.defaults })
                : r.rule === "previous_default"
                  ? t("previous_default", { defaults: r.defaults })
                  : r.rule === "postal_code_unknown"
                    ? t("postal_code_unknown", { postalCode: r.postalCode })
                    : r.rule === "postal_prefecture_mismatch"
                      ? t("postal_prefecture_mismatch", { postalCode: r.postalCode, prefecture: r.prefecture, expected: r.postalPrefectures.join("・") })
                      : r.rule === "address_incomplete"
                        ? t(r.missing === "prefecture" ? "address_no_prefecture" : "address_no_number")
                        : r.rule === "duplicate_order"
                          ? t("duplicate_order", { duplicates: r.duplicates })
                          : t("review_amount", { amount: yen(r.amount), threshold: yen(r.threshold) })}
        </li>
      ))}
    </ul>
  );
}
