/** A rendered outbox row's parts, as stored (null before it is rendered). */
export type StoredMail = { subject: string | null; html: string | null; textBody: string | null };

/**
 * The stored mail with each link written as another in its subject, text and HTML (where `&` is written `&amp;`),
 * without rendering it again: how the outbox hides a customer's secret link from staff, and how a resend's links are
 * signed afresh.
 */
export function withLinksReplaced<T extends StoredMail>(mail: T, replacements: readonly (readonly [from: string, to: string])[]): T {
  if (replacements.length === 0) return mail;
  const replace = (text: string | null) => {
    if (text === null) return null;
    let out = text;
    for (const [from, to] of replacements) out = out.replaceAll(from, to).replaceAll(from.replaceAll("&", "&amp;"), to.replaceAll("&", "&amp;"));
    return out;
  };
  return { ...mail, subject: replace(mail.subject), html: replace(mail.html), textBody: replace(mail.textBody) };
}
