import type { MailTemplate } from "@/lib/billing/mail-template";

export type MailLocale = "ja" | "en";

/**
 * The subject every mail gets unless the merchant wrote its own (per-product overrides come with the
 * react-email templates). Variables are the ones contractMailVariables stores with each outbox row.
 */
export const DEFAULT_SUBJECTS: Record<MailTemplate, Record<MailLocale, string>> = {
  welcome: {
    ja: "【%%merchant%%】%%plan%%へのお申し込みありがとうございます",
    en: "[%%merchant%%] Welcome to %%plan%%",
  },
  charge_succeeded: {
    ja: "【%%merchant%%】お支払いありがとうございます（%%amount%%）",
    en: "[%%merchant%%] Payment received: %%amount%%",
  },
  charge_failed: {
    ja: "【%%merchant%%】お支払いができませんでした：カード情報の更新をお願いします",
    en: "[%%merchant%%] Your payment failed: please update your card",
  },
  unpaid_notice: {
    ja: "【%%merchant%%】%%plan%%のお支払いが確認できておりません",
    en: "[%%merchant%%] Your payment for %%plan%% is overdue",
  },
  final_notice: {
    ja: "【%%merchant%%】【最終のご案内】%%plan%%の未払い料金について",
    en: "[%%merchant%%] Final notice: unpaid balance for %%plan%%",
  },
  withdrawal_notice: {
    ja: "【%%merchant%%】%%plan%%の退会処理のお知らせ",
    en: "[%%merchant%%] Your %%plan%% membership is being ended",
  },
  trial_ending: {
    ja: "【%%merchant%%】%%plan%%のお試し期間は%%trial_end%%までです",
    en: "[%%merchant%%] Your %%plan%% trial ends on %%trial_end%%",
  },
  card_expiring: {
    ja: "【%%merchant%%】ご登録のクレジットカードの有効期限が近づいています",
    en: "[%%merchant%%] The card on file expires soon",
  },
  canceled: {
    ja: "【%%merchant%%】%%plan%%の解約を承りました",
    en: "[%%merchant%%] Your %%plan%% subscription has been canceled",
  },
  resumed: {
    ja: "【%%merchant%%】%%plan%%のご契約を再開しました",
    en: "[%%merchant%%] Your %%plan%% subscription has been resumed",
  },
  paused: {
    ja: "【%%merchant%%】%%plan%%のご契約を一時停止しました",
    en: "[%%merchant%%] Your %%plan%% subscription is paused",
  },
  plan_changed: {
    ja: "【%%merchant%%】ご契約のプランを%%plan%%に変更しました",
    en: "[%%merchant%%] Your plan is now %%plan%%",
  },
  refund: {
    ja: "【%%merchant%%】%%amount%%を返金いたしました",
    en: "[%%merchant%%] We refunded %%amount%%",
  },
};

/** Replaces every %%name%% with its value; a variable the mail does not carry becomes empty text. */
export function substituteVariables(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/%%([a-z0-9_]+)%%/gi, (_, name: string) => (Object.hasOwn(variables, name) ? variables[name]! : ""));
}

/** The default subject of a mail in its locale (Japanese when the locale is unknown), variables filled in. */
export function defaultSubject(template: MailTemplate, locale: string, variables: Readonly<Record<string, string>>): string {
  const subjects = DEFAULT_SUBJECTS[template];
  return substituteVariables(locale === "en" ? subjects.en : subjects.ja, variables);
}
