"use client";

import { useTranslations } from "next-intl";
import type { UsageRate } from "@/lib/billing/plan";
import type { Availability, ContractActions } from "@/lib/services/queries/contract-actions";
import type { PlanSummary } from "@/lib/services/queries/subscription-detail";
import { CancelDialog } from "./cancel-dialog";
import { ChangePlanDialog } from "./change-plan-dialog";
import { ChargeDialog } from "./charge-dialog";
import { PauseDialog } from "./pause-dialog";
import { ResumeDialog } from "./resume-dialog";
import { RetryDialog } from "./retry-dialog";
import { UsageDialog } from "./usage-dialog";

export type ContractActionsBarProps = {
  subscriptionId: string;
  actions: ContractActions;
  /** Everything disabled for the role: the bar says so once. */
  readOnly: boolean;
  paidThroughLabel: string | null;
  owed: { total: number; currency: string } | null;
  currency: string;
  cardLabel: string;
  lastPaymentAt: string | null;
  cardOnFileWindowDays: number;
  usageRates: UsageRate[];
  currentPlan: PlanSummary;
  pendingPlanId: string | null;
  planChoices: PlanSummary[];
  /** datetime-local values in the merchant's zone: now (the earliest choice) and a suggested retry time. */
  minLocal: string;
  defaultRetryAtLocal: string;
  timeZone: string;
};

/** The contract's verbs, each a button that opens its dialog, or is disabled with the reason. */
export function ContractActionsBar(props: ContractActionsBarProps) {
  const t = useTranslations("subscription");
  const { actions, subscriptionId } = props;
  const reason = (a: Availability) => (a.enabled ? null : t(`disabled.${a.reason}`));
  return (
    <section aria-labelledby="contract-actions" className="flex flex-col gap-2">
      <h2 id="contract-actions" className="sr-only">
        {t("actions.heading")}
      </h2>
      {props.readOnly ? <p className="text-sm text-slate-600">{t("actions.readOnly")}</p> : null}
      <div className="flex flex-wrap gap-2">
        <RetryDialog subscriptionId={subscriptionId} disabledReason={reason(actions.retry)} owed={props.owed} defaultAtLocal={props.defaultRetryAtLocal} minLocal={props.minLocal} timeZone={props.timeZone} />
        <ChargeDialog
          subscriptionId={subscriptionId}
          availability={actions.chargeAdditional}
          disabledReason={reason(actions.chargeAdditional)}
          currency={props.currency}
          cardLabel={props.cardLabel}
          lastPaymentAt={props.lastPaymentAt}
          windowDays={props.cardOnFileWindowDays}
        />
        <UsageDialog subscriptionId={subscriptionId} disabledReason={reason(actions.recordUsage)} rates={props.usageRates} currency={props.currency} />
        <ChangePlanDialog
          subscriptionId={subscriptionId}
          availability={actions.changePlan}
          disabledReason={reason(actions.changePlan)}
          currentPlan={props.currentPlan}
          pendingPlanId={props.pendingPlanId}
          choices={props.planChoices}
        />
        <PauseDialog subscriptionId={subscriptionId} disabledReason={reason(actions.pause)} minLocal={props.minLocal} timeZone={props.timeZone} />
        <ResumeDialog subscriptionId={subscriptionId} availability={actions.resume} paidThroughLabel={props.paidThroughLabel} disabledReason={reason(actions.resume)} />
        <CancelDialog subscriptionId={subscriptionId} availability={actions.cancel} paidThroughLabel={props.paidThroughLabel} disabledReason={reason(actions.cancel)} />
      </div>
    </section>
  );
}
