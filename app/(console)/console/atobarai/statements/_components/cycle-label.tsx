import { useTranslations } from "next-intl";
import type { SettlementCycle } from "@/lib/billing/atobarai/settings";

/** 「月末締め」 or 「週締め（金曜日）」. */
export function CycleLabel({ cycle }: { cycle: SettlementCycle }) {
  const t = useTranslations("atobaraiMoney.statements");
  if (cycle.kind === "monthly") return <>{t("cycleKind.monthly")}</>;
  return <>{t("cycleKind.weekly", { weekday: t(`weekday.${cycle.closeWeekday}` as "weekday.1") })}</>;
}
