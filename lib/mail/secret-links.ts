/**
 * Mails whose link is itself a key to the customer's mypage (sign-in, password reset, email change). Staff reading the
 * outbox must not be able to use it: the stored mail is shown with that link hidden, while the customer got it whole.
 */
const SECRET_LINK_VARIABLES = ["sign_in_url", "reset_url", "email_confirm_url"] as const;

export const HIDDEN_LINK = "[このリンクはお客様本人だけに送られ、ここには表示されません / link hidden]";

type StoredMail = { variables: Record<string, string>; html: string | null; textBody: string | null };

export function withSecretLinksHidden<T extends StoredMail>(mail: T): T {
  const secrets = SECRET_LINK_VARIABLES.map((name) => mail.variables[name]).filter((value): value is string => Boolean(value));
  if (secrets.length === 0) return mail;
  const hide = (text: string | null) => {
    if (text === null) return null;
    let out = text;
    for (const secret of secrets) out = out.replaceAll(secret, HIDDEN_LINK).replaceAll(secret.replaceAll("&", "&amp;"), HIDDEN_LINK);
    return out;
  };
  const variables = { ...mail.variables };
  for (const name of SECRET_LINK_VARIABLES) if (variables[name]) variables[name] = HIDDEN_LINK;
  return { ...mail, variables, html: hide(mail.html), textBody: hide(mail.textBody) };
}
