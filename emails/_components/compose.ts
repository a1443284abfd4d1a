import type { MailTemplate } from "@/lib/billing/mail-template";
import { DEFAULT_COPY, type MailLocale } from "@/lib/mail/default-copy";
import { type Block, bodyBlocks, type Line, type LinkVariable, mainLinkOf, paragraphsOf } from "@/lib/mail/mail-body";
import { type ReceiptRows, receiptRows } from "@/lib/mail/receipt-rows";
import type { ReceiptData } from "@/lib/mail/render-mail";

/** What sets one mail apart: its copy (by template), where its button goes, whether it carries a receipt. */
export type MailSpec = { template: MailTemplate; links: readonly LinkVariable[]; receipt?: boolean };

/** A mail's data: the variables, the merchant's body (null = Keizoku's copy) and the receipt when there is one. */
export type MailProps = {
  locale: MailLocale;
  variables: Readonly<Record<string, string>>;
  body?: string | null;
  receipt?: ReceiptData | null;
};

export type ComposedMail = { locale: MailLocale; merchant: string; blocks: Block[]; receipt: ReceiptRows | null; footer: Line[][] };

/**
 * The mail's parts, for the layout and for the plain text alike. The footer comes once: where the body names
 * %%footer%%, else under the body.
 */
export function composeMail(spec: MailSpec, props: MailProps): ComposedMail {
  const { locale, variables } = props;
  const body = props.body || DEFAULT_COPY[spec.template][locale].body;
  const receipt = spec.receipt && props.receipt ? receiptRows(props.receipt, locale) : null;
  return {
    locale,
    merchant: variables.merchant ?? "",
    blocks: bodyBlocks(body, variables, mainLinkOf(spec.links, locale, variables), receipt !== null),
    receipt,
    footer: body.includes("%%footer%%") ? [] : paragraphsOf("%%footer%%", variables),
  };
}
