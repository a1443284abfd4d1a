import { render } from "@react-email/components";
import { createElement } from "react";
import { composeMail, type MailProps } from "@/emails/_components/compose";
import { MAIL_EMAILS } from "@/emails";
import type { MailTemplate } from "@/lib/billing/mail-template";
import { defaultSubject, type MailLocale, substituteVariables } from "./default-subjects";
import { mailText } from "./mail-text";
import type { MailOverride, MailSettings } from "./mail-settings";

/** What a receipt mail lists: the paid invoice's lines, its tax per rate, its total (already formatted). */
export type ReceiptData = {
  lines: { description: string; amount: string }[];
  taxes: { rate: string; taxable: string; tax: string }[];
  total: string;
  paidAt: string;
  invoiceId: string;
  /** 適格請求書発行事業者登録番号, when the merchant set one. */
  registrationNumber: string | null;
};

export type RenderMailInput = {
  template: MailTemplate;
  locale: MailLocale;
  /** The outbox row's variables (contractMailVariables and the decision's own). */
  variables: Readonly<Record<string, string>>;
  /** The merchant's wording, product over merchant (mailOverrideFor); null = Keizoku's default copy. */
  override: MailOverride | null;
  receipt?: ReceiptData | null;
};

export type RenderedMail = { subject: string; html: string; text: string };

/** The wording in force for a mail: each field of the product's setting wins over the merchant's. */
export function mailOverrideFor(merchant: MailSettings, product: MailSettings | null, template: MailTemplate): MailOverride | null {
  const merged: MailOverride = { ...merchant[template], ...product?.[template] };
  return merged.subject || merged.body ? merged : null;
}

/** A subject is one line: a variable with line breaks (or a pasted one) must not split the header. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/**
 * Renders a mail: subject, HTML (the mail's react-email component, emails/) and plain text (from the same parts,
 * not scraped from the HTML: it reads like the text that was written, the receipt as rows, the button as its URL).
 * The merchant's body, when set, replaces Keizoku's copy inside the same layout; unknown locales get Japanese.
 */
export async function renderMail(input: RenderMailInput): Promise<RenderedMail> {
  const locale: MailLocale = input.locale === "en" ? "en" : "ja";
  const subject = oneLine(input.override?.subject ? substituteVariables(input.override.subject, input.variables) : defaultSubject(input.template, locale, input.variables));
  const email = MAIL_EMAILS[input.template];
  const props: MailProps = { locale, variables: input.variables, body: input.override?.body || null, receipt: input.receipt ?? null };
  // react-email's documented render(): about 0.7 ms a mail more than React's synchronous renderer (measured), which the
  // delivery benchmark affords.
  const html = await render(createElement(email, props));
  return { subject, html, text: mailText(composeMail(email.spec, props)) };
}
