import { createActionFlow } from "../action-flow";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** The trial ends: joining fee + first period in one payment (trial_end), or the trial-ending mail N days before. */
export const createTrialToCharge = (runContext: RunContextSource = configuredRunContext) =>
  createActionFlow({ id: "trial-to-charge", kinds: ["trial_end", "trial_reminder"] }, runContext);
