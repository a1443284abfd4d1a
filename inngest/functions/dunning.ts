import { createActionFlow } from "../action-flow";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** Retries exhausted: each notice of the dunning timeline, then the withdrawal; stops when paid, canceled or resumed. */
export const createDunning = (runContext: RunContextSource = configuredRunContext) =>
  createActionFlow({ id: "dunning", kinds: ["dunning_notice", "withdrawal"], cancelOn: ["invoice.paid", "subscription.ended"] }, runContext);
