import type { MailTemplate } from "@/lib/billing/mail-template";
import type { MailLocale } from "./default-subjects";
import { formatMailDate } from "./mail-date";

/**
 * The %%variables%% a merchant may write in a mail's subject and body, and which mails carry each. The values come
 * from contractMailVariables (lib/mail/contract-mail.ts) and the decision's own variables; the console lists these
 * beside the editor (descriptions in messages/<lang>/mailSettings.json, keyed by name), and a sample of each fills
 * the preview when no real contract is chosen.
 */
type VariableSpec = { templates: "all" | readonly MailTemplate[]; sample: string; date?: true };

const RECEIPTS: readonly MailTemplate[] = ["charge_succeeded", "refund"];
const CARD_ASKS: readonly MailTemplate[] = ["charge_failed", "payment_authentication", "card_expiring", "unpaid_notice", "final_notice", "withdrawal_notice"];

const ATOBARAI_BUYER: readonly MailTemplate[] = ["atobarai_reminder", "atobarai_final_reminder"];
const ATOBARAI: readonly MailTemplate[] = [...ATOBARAI_BUYER, "atobarai_collection"];

export const MAIL_VARIABLES = {
  name: { templates: "all", sample: "山田 花子" },
  merchant: { templates: "all", sample: "デモ商店" },
  product: { templates: "all", sample: "英会話レッスン" },
  plan: { templates: "all", sample: "月謝プラン" },
  amount: { templates: "all", sample: "¥3,980" },
  paid_through: { templates: "all", sample: "2027-07-01", date: true },
  next_charge_date: { templates: "all", sample: "2027-07-01", date: true },
  trial_end: { templates: "all", sample: "2027-06-15", date: true },
  mypage_url: { templates: "all", sample: "https://example.jp/mypage" },
  card_update_url: { templates: "all", sample: "https://example.jp/mypage/card?token=…" },
  footer: { templates: "all", sample: "デモ商店 お客様窓口 support@example.jp" },
  receipt_url: { templates: RECEIPTS, sample: "https://example.jp/r/…" },
  payment_url: { templates: ["payment_authentication"], sample: "https://example.jp/pay/…" },
  decline: { templates: CARD_ASKS, sample: "soft" },
  resume_at: { templates: ["paused"], sample: "2027-08-01", date: true },
  sign_in_url: { templates: ["sign_in_link"], sample: "https://example.jp/mypage/mer_…/sign-in/link?token=…" },
  reset_url: { templates: ["password_reset"], sample: "https://example.jp/mypage/mer_…/reset?token=…" },
  email_confirm_url: { templates: ["email_change"], sample: "https://example.jp/mypage/mer_…/email?token=…" },
  inviter: { templates: ["staff_invitation"], sample: "鈴木 一郎" },
  role: { templates: ["staff_invitation"], sample: "オペレーター" },
  invitation_url: { templates: ["staff_invitation"], sample: "https://example.jp/invitation?token=…" },
  invitation_expires: { templates: ["staff_invitation"], sample: "2027-06-08", date: true },
  endpoint_url: { templates: ["webhook_endpoint_disabled"], sample: "https://example.jp/webhooks/keizoku" },
  failing_since: { templates: ["webhook_endpoint_disabled"], sample: "2027-06-05", date: true },
  webhooks_url: { templates: ["webhook_endpoint_disabled"], sample: "https://keizoku.example.jp/console/settings/webhooks" },
  invoice_id: { templates: ["dispute_opened"], sample: "in_0190…" },
  dispute_amount: { templates: ["dispute_opened"], sample: "¥3,980" },
  dispute_reason: { templates: ["dispute_opened"], sample: "fraudulent" },
  evidence_due_by: { templates: ["dispute_opened"], sample: "2027-06-20", date: true },
  contract_url: { templates: ["dispute_opened"], sample: "https://keizoku.example.jp/console/subscriptions/sub_…" },
  order_ref: { templates: ["atobarai_screening_result", "atobarai_invoice", ...ATOBARAI], sample: "ORDER-10023" },
  registered_on: { templates: ["atobarai_screening_result"], sample: "2027-06-01", date: true },
  screening_result: { templates: ["atobarai_screening_result"], sample: "OK" },
  prefecture: { templates: ["atobarai_screening_result"], sample: "東京都" },
  order_url: { templates: ["atobarai_screening_result", "atobarai_collection"], sample: "https://keizoku.example.jp/console/atobarai/orders/abo_…" },
  due_date: { templates: ["atobarai_invoice", ...ATOBARAI], sample: "2027-06-15", date: true },
  payment_number: { templates: ["atobarai_invoice", ...ATOBARAI_BUYER], sample: "1234567890128" },
  bank_reference: { templates: ["atobarai_invoice", ...ATOBARAI_BUYER], sample: "1234567897" },
  invoice_url: { templates: ["atobarai_invoice"], sample: "https://keizoku.example.jp/b/…" },
} as const satisfies Record<string, VariableSpec>;

export type MailVariable = keyof typeof MAIL_VARIABLES;

export function variablesOf(template: MailTemplate): MailVariable[] {
  return (Object.keys(MAIL_VARIABLES) as MailVariable[]).filter((name) => {
    const spec: VariableSpec = MAIL_VARIABLES[name];
    return spec.templates === "all" || spec.templates.includes(template);
  });
}

/** Sample values of every variable a mail carries, for a preview without a real contract; dates as mails write them. */
export function sampleVariables(template: MailTemplate, locale: MailLocale = "ja"): Record<string, string> {
  return Object.fromEntries(
    variablesOf(template).map((name) => {
      const spec: VariableSpec = MAIL_VARIABLES[name];
      return [name, spec.date ? formatMailDate(new Date(`${spec.sample}T00:00:00+09:00`), "Asia/Tokyo", locale) : spec.sample];
    }),
  );
}


