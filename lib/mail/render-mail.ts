import type { MailTemplate } from "@/lib/billing/mail-template";
import { defaultSubject, type MailLocale, substituteVariables } from "./default-subjects";
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

/**
 * Renders a mail: subject, HTML and plain text.
 * INTERIM (issue 10 in progress): plain text only; the react-email templates of emails/ replace this body.
 */
export async function renderMail(input: RenderMailInput): Promise<RenderedMail> {
  const subject = input.override?.subject ? substituteVariables(input.override.subject, input.variables) : defaultSubject(input.template, input.locale, input.variables);
  const text = input.override?.body ? substituteVariables(input.override.body, input.variables) : subject;
  const html = `<pre>${text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</pre>`;
  return { subject, html, text };
}
