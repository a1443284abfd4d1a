"use client";

import { useTranslations } from "next-intl";
import type { ContractActions } from "@/lib/services/queries/contract-actions";
import { resumeContract } from "../actions";
import { ActionDialog } from "./action-dialog";
import { useOutcome } from "./outcome";

/** The one resume button: the dialog says which of decideResume's cases this contract is in. */
export function ResumeDialog({ subscriptionId, availability, paidThroughLabel, disabledReason }: { subscriptionId: string; availability: ContractActions["resume"]; paidThroughLabel: string | null; disabledReason: string | null }) {
  const t = useTranslations("subscription");
  const outcome = useOutcome();
  const mode = availability.mode ?? "undo_cancel";
  return (
    <ActionDialog
      trigger={t("actions.resume")}
      disabledReason={disabledReason}
      title={t("dialog.resume.title")}
      description={t(`dialog.resume.${mode}`, { date: paidThroughLabel ?? "" })}
      submitLabel={t("dialog.resume.submit")}
      submit={async () => outcome(await resumeContract({ subscriptionId }), () => t("dialog.resume.done"))}
    >
      {() => null}
    </ActionDialog>
  );
}
