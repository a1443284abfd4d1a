import enAddressLookup from "./en/addressLookup.json";
import enAtobaraiMoney from "./en/atobaraiMoney.json";
import enApiKeys from "./en/apiKeys.json";
import enAtobarai from "./en/atobarai.json";
import jaAtobarai from "./ja/atobarai.json";
import enWebhooks from "./en/webhooks.json";
import enGatewayEvents from "./en/gatewayEvents.json";
import enAudit from "./en/audit.json";
import enTeam from "./en/team.json";
import enInvitation from "./en/invitation.json";
import enBilling from "./en/billing.json";
import enBillingSettings from "./en/billingSettings.json";
import enBulkActions from "./en/bulkActions.json";
import enCardFields from "./en/cardFields.json";
import enCardUpdate from "./en/cardUpdate.json";
import enCheckout from "./en/checkout.json";
import enCatalogue from "./en/catalogue.json";
import enCheckoutLinks from "./en/checkoutLinks.json";
import enCommon from "./en/common.json";
import enConsole from "./en/console.json";
import enContractFuture from "./en/contractFuture.json";
import enDeclines from "./en/declines.json";
import enCustomers from "./en/customers.json";
import enDashboard from "./en/dashboard.json";
import enErrors from "./en/errors.json";
import enJobs from "./en/jobs.json";
import enMailSettings from "./en/mailSettings.json";
import enOutbox from "./en/outbox.json";
import enReceipt from "./en/receipt.json";
import enPayment from "./en/payment.json";
import enMypage from "./en/mypage.json";
import enSignIn from "./en/signIn.json";
import enSubscription from "./en/subscription.json";
import enTestClocks from "./en/testClocks.json";
import enTimeline from "./en/timeline.json";
import jaAddressLookup from "./ja/addressLookup.json";
import jaAtobaraiMoney from "./ja/atobaraiMoney.json";
import jaApiKeys from "./ja/apiKeys.json";
import jaWebhooks from "./ja/webhooks.json";
import jaGatewayEvents from "./ja/gatewayEvents.json";
import jaAudit from "./ja/audit.json";
import jaTeam from "./ja/team.json";
import jaInvitation from "./ja/invitation.json";
import jaBilling from "./ja/billing.json";
import jaBillingSettings from "./ja/billingSettings.json";
import jaBulkActions from "./ja/bulkActions.json";
import jaCardFields from "./ja/cardFields.json";
import jaCardUpdate from "./ja/cardUpdate.json";
import enSubscriptions from "./en/subscriptions.json";
import jaCheckout from "./ja/checkout.json";
import jaCatalogue from "./ja/catalogue.json";
import jaCheckoutLinks from "./ja/checkoutLinks.json";
import jaCommon from "./ja/common.json";
import jaConsole from "./ja/console.json";
import jaContractFuture from "./ja/contractFuture.json";
import jaDeclines from "./ja/declines.json";
import jaCustomers from "./ja/customers.json";
import jaDashboard from "./ja/dashboard.json";
import jaErrors from "./ja/errors.json";
import jaJobs from "./ja/jobs.json";
import jaMailSettings from "./ja/mailSettings.json";
import jaOutbox from "./ja/outbox.json";
import jaReceipt from "./ja/receipt.json";
import jaPayment from "./ja/payment.json";
import jaMypage from "./ja/mypage.json";
import jaSignIn from "./ja/signIn.json";
import jaSubscription from "./ja/subscription.json";
import jaTestClocks from "./ja/testClocks.json";
import jaTimeline from "./ja/timeline.json";
import jaSubscriptions from "./ja/subscriptions.json";

/**
 * Every user-facing text, one JSON file per namespace (a page or a shared part) and language, so that pages built
 * side by side do not edit one file. Japanese is the reference: English must have the same keys (messages.test.ts).
 */
export const MESSAGES = {
  ja: { common: jaCommon, console: jaConsole, errors: jaErrors, signIn: jaSignIn, billing: jaBilling, billingSettings: jaBillingSettings, timeline: jaTimeline, subscription: jaSubscription, declines: jaDeclines, jobs: jaJobs, bulkActions: jaBulkActions, customers: jaCustomers, subscriptions: jaSubscriptions, mailSettings: jaMailSettings, outbox: jaOutbox, cardUpdate: jaCardUpdate, cardFields: jaCardFields, receipt: jaReceipt, payment: jaPayment, checkout: jaCheckout, checkoutLinks: jaCheckoutLinks, mypage: jaMypage, addressLookup: jaAddressLookup, dashboard: jaDashboard, apiKeys: jaApiKeys, webhooks: jaWebhooks, gatewayEvents: jaGatewayEvents, audit: jaAudit, team: jaTeam, invitation: jaInvitation, catalogue: jaCatalogue, testClocks: jaTestClocks, contractFuture: jaContractFuture, atobarai: jaAtobarai, atobaraiMoney: jaAtobaraiMoney },
  en: { common: enCommon, console: enConsole, errors: enErrors, signIn: enSignIn, billing: enBilling, billingSettings: enBillingSettings, timeline: enTimeline, subscription: enSubscription, declines: enDeclines, jobs: enJobs, bulkActions: enBulkActions, customers: enCustomers, subscriptions: enSubscriptions, mailSettings: enMailSettings, outbox: enOutbox, cardUpdate: enCardUpdate, cardFields: enCardFields, receipt: enReceipt, payment: enPayment, checkout: enCheckout, checkoutLinks: enCheckoutLinks, mypage: enMypage, addressLookup: enAddressLookup, dashboard: enDashboard, apiKeys: enApiKeys, webhooks: enWebhooks, gatewayEvents: enGatewayEvents, audit: enAudit, team: enTeam, invitation: enInvitation, catalogue: enCatalogue, testClocks: enTestClocks, contractFuture: enContractFuture, atobarai: enAtobarai, atobaraiMoney: enAtobaraiMoney },
};

export type Messages = (typeof MESSAGES)["ja"];
