import { MAIL_TEMPLATES, type MailTemplate } from "@/lib/billing/mail-template";
import { DEFAULT_COPY, type MailLocale } from "./default-copy";

export type { MailLocale };

/** The subject every mail gets unless the merchant wrote its own (the default copy's, lib/mail/default-copy.ts). */
export const DEFAULT_SUBJECTS: Record<MailTemplate, Record<MailLocale, string>> = Object.fromEntries(
  MAIL_TEMPLATES.map((template) => [template, { ja: DEFAULT_COPY[template].ja.subject, en: DEFAULT_COPY[template].en.subject }]),
) as Record<MailTemplate, Record<MailLocale, string>>;

/** Replaces every %%name%% with its value; a variable the mail does not carry becomes empty text. */
export function substituteVariables(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/%%([a-z0-9_]+)%%/gi, (_, name: string) => (Object.hasOwn(variables, name) ? variables[name]! : ""));
}

/** The default subject of a mail in its locale (Japanese when the locale is unknown), variables filled in. */
export function defaultSubject(template: MailTemplate, locale: string, variables: Readonly<Record<string, string>>): string {
  const subjects = DEFAULT_SUBJECTS[template];
  return substituteVariables(locale === "en" ? subjects.en : subjects.ja, variables);
}
