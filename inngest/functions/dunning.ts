import { DUNNING_KINDS } from "@/lib/billing/scheduled-action";
import { createActionFlow } from "../action-flow";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** Retries exhausted: each notice of the dunning timeline (and its 後払い fallback invoice), then the withdrawal; stops when paid, canceled or resumed. */
export const createDunning = (runContext: RunContextSource = configuredRunContext) =>
  createActionFlow({ id: "dunning", kinds: DUNNING_KINDS, cancelOn: ["invoice.paid", "subscription.ended"] }, runContext);
