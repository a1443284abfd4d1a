import type { ApiRoute } from "../router";
import { atobaraiOrderRoutes } from "./atobarai-orders";
import { atobaraiPaymentRoutes } from "./atobarai-payments";
import { atobaraiRefundRoutes } from "./atobarai-refunds";
import { cardRoutes } from "./cards";
import { catalogueRoutes } from "./catalogue";
import { checkoutLinkRoutes } from "./checkout-links";
import { customerRoutes } from "./customers";
import { invoiceRoutes } from "./invoices";
import { mailRoutes } from "./mails";
import { settingsRoutes } from "./settings";
import { subscriptionRoutes } from "./subscriptions";
import { testClockRoutes } from "./test-clocks";
import { webhookRoutes } from "./webhooks";

/** Every endpoint of /api/v1: the router and the OpenAPI document are both made from this list. */
export const API_ROUTES: readonly ApiRoute[] = [...catalogueRoutes, ...customerRoutes, ...cardRoutes, ...testClockRoutes, ...settingsRoutes, ...subscriptionRoutes, ...invoiceRoutes, ...mailRoutes, ...checkoutLinkRoutes, ...webhookRoutes, ...atobaraiOrderRoutes, ...atobaraiPaymentRoutes, ...atobaraiRefundRoutes];
