import { createActionFlow } from "../action-flow";
import { configuredRunContext, type RunContextSource } from "../run-context";

/** One run per retry of the merchant's schedule (or a manual retry date); stops when the invoice is paid. */
export const createPaymentRetry = (runContext: RunContextSource = configuredRunContext) =>
  createActionFlow({ id: "payment-retry", kinds: ["retry"], cancelOn: ["invoice.paid"] }, runContext);
