import { type StoredMail, withLinksReplaced } from "./stored-mail";

/**
 * Mails whose link is itself a key: to the customer's mypage (sign-in, password reset, email change), or to a new
 * console login (a staff invitation). Staff reading the outbox must not be able to use it: the stored mail is shown
 * with that link hidden, while its addressee got it whole.
 */
const SECRET_LINK_VARIABLES = ["sign_in_url", "reset_url", "email_confirm_url", "invitation_url"] as const;

export const HIDDEN_LINK = "[このリンクはお客様本人だけに送られ、ここには表示されません / link hidden]";

export function withSecretLinksHidden<T extends StoredMail & { variables: Record<string, string> }>(mail: T): T {
  const secrets = SECRET_LINK_VARIABLES.map((name) => mail.variables[name]).filter((value): value is string => Boolean(value));
  if (secrets.length === 0) return mail;
  const variables = { ...mail.variables };
  for (const name of SECRET_LINK_VARIABLES) if (variables[name]) variables[name] = HIDDEN_LINK;
  return { ...withLinksReplaced(mail, secrets.map((secret) => [secret, HIDDEN_LINK] as const)), variables };
}
