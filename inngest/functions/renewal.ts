import { createActionFlow } from "../action-flow";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** At the paid-through date: charge the next period (runDueAction plans the one after), or end a contract set to cancel. */
export const createRenewal = (runContext: RunContextSource = configuredRunContext) =>
  createActionFlow({ id: "renewal", kinds: ["renewal", "period_end_cancel"] }, runContext);
