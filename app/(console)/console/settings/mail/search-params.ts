import { createLoader, createSerializer, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { CUSTOMER_MAIL_TEMPLATES } from "@/lib/billing/mail-template";

/**
 * /console/settings/mail's URL state: which mail is being edited, and for which product (none: the merchant's own
 * setting). Shared by the page's loader, the product picker and the mail list's links.
 */
export const mailSettingsParams = {
  event: parseAsStringLiteral(CUSTOMER_MAIL_TEMPLATES).withDefault("welcome"),
  product: parseAsString.withDefault(""),
};

export const loadMailSettingsParams = createLoader(mailSettingsParams);
export const mailSettingsHref = createSerializer(mailSettingsParams, { clearOnDefault: true });
