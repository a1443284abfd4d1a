import { defineMail } from "./_components/define-mail";

/** To the merchant's owners: an endpoint failed for three days and was disabled; the console turns it on again. */
const WebhookEndpointDisabledMail = defineMail({ template: "webhook_endpoint_disabled", links: ["webhooks_url"] });
export default WebhookEndpointDisabledMail;
