import type { MailTemplate } from "@/lib/billing/mail-template";
import { defaultSubject, type MailLocale } from "./default-subjects";

/** An outbox row as a mailer needs it. */
export type QueuedMail = { template: MailTemplate; locale: MailLocale; to: string; variables: Readonly<Record<string, string>>; subject: string | null; idempotencyKey: string };
export type RenderedMail = { subject: string; text: string; html: string | null };
export type DeliveryResult = { status: "sent"; providerMessageId: string } | { status: "not_delivered"; reason: string };

/**
 * The mail port: how an outbox row becomes a message (render) and leaves (send). The engine only decides on mails
 * (one outbox row each); the adapter in the platform renders and delivers them — Resend when configured, otherwise
 * the outbox keeps them, marked not delivered.
 */
export interface Mailer {
  readonly name: string;
  render(mail: QueuedMail): RenderedMail;
  send(mail: QueuedMail, rendered: RenderedMail): Promise<DeliveryResult>;
}

const LINKS: readonly [string, Record<MailLocale, string>][] = [
  ["card_update_url", { ja: "カード情報の更新", en: "Update your card" }],
  ["mypage_url", { ja: "マイページ", en: "Your account" }],
];

/**
 * The default: every mail stays in the outbox (viewable in the console and the API), nothing leaves the machine. Its
 * rendering is the subject (the merchant's, or the default in the customer's language) and a plain text body that
 * names the subject and the links a customer needs.
 */
export const outboxMailer: Mailer = {
  name: "outbox",
  render(mail) {
    const subject = mail.subject ?? defaultSubject(mail.template, mail.locale, mail.variables);
    const lines = [subject, ""];
    for (const [name, labels] of LINKS) if (mail.variables[name]) lines.push(`${labels[mail.locale]}: ${mail.variables[name]}`);
    if (mail.variables.footer) lines.push("", mail.variables.footer);
    return { subject, text: lines.join("\n"), html: null };
  },
  async send() {
    return { status: "not_delivered", reason: "no_mail_provider" };
  },
};
