import { configuredRunContext, type RunContextSource } from "../run-context";
import { createAtobaraiScreening } from "./atobarai-screening";
import { createAtobaraiMoney } from "./atobarai-money";
import { createBulkJobs } from "./bulk-jobs";
import { createCardExpiryNotice } from "./card-expiry-notice";
import { createDeliverMails } from "./deliver-mails";
import { createDeliverWebhooks } from "./deliver-webhooks";
import { createDispatchScheduledActions } from "./dispatch-scheduled-actions";
import { createDunning } from "./dunning";
import { createPaymentRetry } from "./payment-retry";
import { createProcessGatewayEvents } from "./process-gateway-events";
import { createPurgeExpired } from "./purge-expired";
import { createReconcile } from "./reconcile";
import { createRenewal } from "./renewal";
import { createResolveUnansweredAttempts } from "./resolve-unanswered-attempts";
import { createTrialToCharge } from "./trial-to-charge";

/** Every function the serve handler registers, built on one run-context source. */
export function inngestFunctions(runContext: RunContextSource = configuredRunContext) {
  return [
    createDispatchScheduledActions(runContext),
    createTrialToCharge(runContext),
    createRenewal(runContext),
    createPaymentRetry(runContext),
    createDunning(runContext),
    createCardExpiryNotice(runContext),
    createReconcile(runContext),
    createBulkJobs(runContext),
    createDeliverMails(runContext),
    createDeliverWebhooks(runContext),
    createPurgeExpired(runContext),
    createResolveUnansweredAttempts(runContext),
    createProcessGatewayEvents(runContext),
    createAtobaraiScreening(runContext),
    createAtobaraiMoney(runContext),
  ];
}
