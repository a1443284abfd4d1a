import { createActionFlow } from "../action-flow";
import { configuredRunContext, type RunContextSource } from "../run-context";

/**
 * The contract's course at its period boundaries: the renewal charge at the paid-through date (runDueAction plans
 * the one after), the end of a contract set to cancel, the final invoice of its last usage, and a planned un-pause.
 */
export const createRenewal = (runContext: RunContextSource = configuredRunContext) =>
  createActionFlow({ id: "renewal", kinds: ["renewal", "period_end_cancel", "final_invoice", "unpause"] }, runContext);
