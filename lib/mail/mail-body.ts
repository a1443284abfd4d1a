import type { MailLocale } from "./default-copy";

/** A run of text, or a link whose text is its URL (URLs in a mail's text become links). */
export type Segment = { text: string; href?: string };
export type Line = Segment[];

/** A mail's body as the layout draws it and the plain-text part spells it. */
export type Block =
  /** `joined`: the rest of a paragraph whose line before was the button (the text part keeps it one paragraph). */
  | { kind: "paragraph"; lines: Line[]; joined?: boolean }
  /** The main link; `inline` when it stood on its own line in the text (its text part is then just the URL). */
  | { kind: "button"; href: string; label: string; inline: boolean; joined?: boolean }
  | { kind: "receipt" };

export type MainLink = { href: string; label: string };

const VARIABLE = /%%([a-z0-9_]+)%%/gi;
const URL = /https?:\/\/[^\s<>"'「」（）()、。]+/g;

const LINK_LABELS = {
  card_update_url: { ja: "カード情報を更新する", en: "Update your card" },
  receipt_url: { ja: "領収書を表示する", en: "View your receipt" },
  payment_url: { ja: "本人認証して支払う", en: "Authenticate and pay" },
  mypage_url: { ja: "マイページを開く", en: "Open your account page" },
  sign_in_url: { ja: "マイページにログインする", en: "Sign in to your account page" },
  reset_url: { ja: "パスワードを再設定する", en: "Reset your password" },
  email_confirm_url: { ja: "メールアドレスを確認する", en: "Confirm your email address" },
  invitation_url: { ja: "招待を受けてパスワードを設定する", en: "Accept and set your password" },
  webhooks_url: { ja: "Webhook 設定を開く", en: "Open the webhook settings" },
  contract_url: { ja: "契約を開く", en: "Open the contract" },
  order_url: { ja: "注文を開く", en: "Open the order" },
} as const;
export type LinkVariable = keyof typeof LINK_LABELS;

/**
 * The link a mail's button opens: the first of `order` the mail carries as an http(s) URL (a refund without an
 * invoice has no receipt link and falls back to the customer's page).
 */
export function mainLinkOf(order: readonly LinkVariable[], locale: MailLocale, variables: Readonly<Record<string, string>>): MainLink | null {
  for (const name of order) {
    const href = variables[name]?.trim();
    if (href && /^https?:\/\//.test(href)) return { href, label: LINK_LABELS[name][locale] };
  }
  return null;
}

/**
 * Fills a text's %%variables%%, line by line. A line that names variables which all came out empty is left out
 * ("次回のお支払い日：" with no next charge); a value with line breaks (a footer) keeps them.
 */
export function fillLines(text: string, variables: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    let named = 0;
    let filled = 0;
    const value = line.replace(VARIABLE, (_, name: string) => {
      named++;
      const v = Object.hasOwn(variables, name) ? variables[name]! : "";
      if (v !== "") filled++;
      return v;
    });
    if (named > 0 && filled === 0) continue;
    out.push(...value.replace(/\r\n?/g, "\n").split("\n"));
  }
  return out;
}

/** Paragraphs (split at blank lines) of filled-in lines, URLs as links. */
export function paragraphsOf(text: string, variables: Readonly<Record<string, string>>): Line[][] {
  const paragraphs: Line[][] = [];
  let current: Line[] = [];
  for (const line of fillLines(text, variables)) {
    if (line.trim() === "") {
      if (current.length) paragraphs.push(current);
      current = [];
    } else {
      current.push(segmentsOf(line.trimEnd()));
    }
  }
  if (current.length) paragraphs.push(current);
  return paragraphs;
}

function segmentsOf(line: string): Line {
  const segments: Line = [];
  let at = 0;
  for (const match of line.matchAll(URL)) {
    if (match.index > at) segments.push({ text: line.slice(at, match.index) });
    segments.push({ text: match[0], href: match[0] });
    at = match.index + match[0].length;
  }
  if (at < line.length) segments.push({ text: line.slice(at) });
  return segments;
}

function isOnly(line: Line, href: string): boolean {
  return line.length === 1 && line[0]!.href === href;
}

/**
 * The blocks of a mail's body: its paragraphs; the main link as a button where it stands on a line of its own (else
 * after the text); the receipt, when the mail has one, just before the paragraph that leads to the button.
 */
export function bodyBlocks(text: string, variables: Readonly<Record<string, string>>, link: MainLink | null, withReceipt: boolean): Block[] {
  const blocks: Block[] = [];
  let placed = false;
  for (const lines of paragraphsOf(text, variables)) {
    const at = !placed && link ? lines.findIndex((line) => isOnly(line, link.href)) : -1;
    if (at < 0) {
      blocks.push({ kind: "paragraph", lines });
      continue;
    }
    placed = true;
    if (withReceipt) blocks.push({ kind: "receipt" });
    if (at > 0) blocks.push({ kind: "paragraph", lines: lines.slice(0, at) });
    blocks.push({ kind: "button", href: link!.href, label: link!.label, inline: true, joined: at > 0 });
    if (at < lines.length - 1) blocks.push({ kind: "paragraph", lines: lines.slice(at + 1), joined: true });
  }
  if (!placed) {
    if (withReceipt) blocks.push({ kind: "receipt" });
    if (link) blocks.push({ kind: "button", href: link.href, label: link.label, inline: false });
  }
  return blocks;
}
