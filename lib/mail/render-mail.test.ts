import { describe, expect, it } from "vitest";
import { SAMPLE_RECEIPT } from "@/emails/_components/define-mail";
import { MAIL_TEMPLATES, type MailTemplate } from "@/lib/billing/mail-template";
import { DEFAULT_COPY } from "./default-copy";
import { sampleVariables, variablesOf } from "./mail-variables";
import { mailOverrideFor, type ReceiptData, renderMail } from "./render-mail";

const LOCALES = ["ja", "en"] as const;

/** The samples, with links distinct enough to tell which one a button opens. */
function variablesFor(template: MailTemplate, locale: "ja" | "en" = "ja"): Record<string, string> {
  const links: Record<string, string> = {
    mypage_url: "https://shop.example.jp/mypage",
    card_update_url: "https://shop.example.jp/mypage/card?token=card-token",
    receipt_url: "https://shop.example.jp/r/receipt-token",
    payment_url: "https://shop.example.jp/pay/payment-token",
    sign_in_url: "https://shop.example.jp/mypage/mer_1/sign-in/link?token=t",
    reset_url: "https://shop.example.jp/mypage/mer_1/reset?token=t",
    email_confirm_url: "https://shop.example.jp/mypage/mer_1/email?token=t",
    invitation_url: "https://shop.example.jp/invitation?token=t",
    webhooks_url: "https://shop.example.jp/console/settings/webhooks",
  };
  const variables = sampleVariables(template, locale);
  for (const name of Object.keys(variables)) if (links[name]) variables[name] = links[name];
  return variables;
}

/** The link a mail's button opens; null: a mail without one (後払い reminders: the buyer pays with the invoice's numbers). */
const MAIN_LINK: Record<MailTemplate, string | null> = {
  welcome: "mypage_url",
  charge_succeeded: "receipt_url",
  charge_failed: "card_update_url",
  payment_authentication: "payment_url",
  unpaid_notice: "card_update_url",
  final_notice: "card_update_url",
  withdrawal_notice: "mypage_url",
  trial_ending: "mypage_url",
  card_expiring: "card_update_url",
  canceled: "mypage_url",
  resumed: "mypage_url",
  paused: "mypage_url",
  plan_changed: "mypage_url",
  refund: "receipt_url",
  sign_in_link: "sign_in_url",
  password_reset: "reset_url",
  email_change: "email_confirm_url",
  staff_invitation: "invitation_url",
  webhook_endpoint_disabled: "webhooks_url",
  dispute_opened: "contract_url",
  atobarai_screening_result: "order_url",
  atobarai_invoice: "invoice_url",
  atobarai_reminder: null,
  atobarai_final_reminder: null,
  atobarai_collection: "order_url",
};

function usedVariables(text: string): string[] {
  return [...text.matchAll(/%%([a-z0-9_]+)%%/g)].map((m) => m[1]!);
}

describe("mail templates", () => {
  it("use only variables their mail carries (MAIL_VARIABLES tells the truth)", () => {
    for (const template of MAIL_TEMPLATES) {
      const carried: string[] = variablesOf(template);
      for (const locale of LOCALES) {
        const { subject, body } = DEFAULT_COPY[template][locale];
        for (const name of [...usedVariables(subject), ...usedVariables(body), "merchant", "footer", ...(MAIN_LINK[template] ? [MAIN_LINK[template]] : [])]) {
          expect(carried, `${template} ${locale} uses %%${name}%%`).toContain(name);
        }
      }
    }
  });

  for (const template of MAIL_TEMPLATES) {
    for (const locale of LOCALES) {
      it(`renders ${template} in ${locale}`, async () => {
        const variables = variablesFor(template, locale);
        const mail = await renderMail({ template, locale, variables, override: null, receipt: template === "charge_succeeded" ? SAMPLE_RECEIPT : null });
        for (const part of [mail.subject, mail.html, mail.text]) expect(part).not.toContain("%%");
        const { subject, body } = DEFAULT_COPY[template][locale];
        for (const name of new Set([...usedVariables(subject), ...usedVariables(body), "merchant", "footer"])) {
          expect(`${mail.subject}\n${mail.text}`, `%%${name}%%`).toContain(variables[name]);
        }
        const link = MAIN_LINK[template];
        if (link) expect(mail.html).toContain(`href="${variables[link]!}"`);
        else expect(mail.html).not.toMatch(/<a [^>]*href="https?:/);
        expect(mail.html).toContain(`<html dir="ltr" lang="${locale}">`);
        expect(mail.text).toMatchSnapshot();
        expect(mail.subject).toMatchSnapshot();
      });
    }
  }

  it("puts the main link in a button, where the text has it on its own line", async () => {
    const mail = await renderMail({ template: "charge_failed", locale: "ja", variables: variablesFor("charge_failed"), override: null });
    expect(mail.html).toMatch(/<a href="https:\/\/shop\.example\.jp\/mypage\/card\?token=card-token"[^>]*>(?:(?!<\/a>).)*カード情報を更新する/);
    expect(mail.text).toContain("新しいカードのご登録または更新をお願いいたします。\nhttps://shop.example.jp/mypage/card?token=card-token\n\n");
  });

  it("leaves out a line whose variables are all empty, and falls back to Japanese for an unknown locale", async () => {
    const variables = { ...variablesFor("paused"), resume_at: "" };
    const mail = await renderMail({ template: "paused", locale: "fr" as "ja", variables, override: null });
    expect(mail.text).not.toContain("再開予定日");
    expect(mail.subject).toBe("【デモ商店】月謝プランのご契約を一時停止しました");
    const withDate = await renderMail({ template: "paused", locale: "ja", variables: variablesFor("paused"), override: null });
    expect(withDate.text).toContain("再開予定日：2027年8月1日");
  });

  it("renders a receipt with two tax rates and the registration number; without the number it says nothing of one", async () => {
    const receipt: ReceiptData = {
      lines: [
        { description: "月謝プラン 2027年6月分", amount: "¥5,500" },
        { description: "テキスト（軽減税率）", amount: "¥1,080" },
      ],
      taxes: [
        { rate: "10%", taxable: "¥5,500", tax: "¥500" },
        { rate: "8%", taxable: "¥1,080", tax: "¥80" },
      ],
      total: "¥6,580",
      paidAt: "2027-06-01",
      invoiceId: "inv_42",
      registrationNumber: "T9876543210987",
    };
    const variables = { ...variablesFor("charge_succeeded"), amount: "¥6,580" };
    const mail = await renderMail({ template: "charge_succeeded", locale: "ja", variables, override: null, receipt });
    expect(mail.text).toContain(
      ["■ご請求明細", "月謝プラン 2027年6月分　¥5,500", "テキスト（軽減税率）　¥1,080", "10%対象　¥5,500（消費税 ¥500）", "8%対象　¥1,080（消費税 ¥80）", "合計　¥6,580", "お支払い日：2027-06-01", "請求書番号：inv_42", "登録番号：T9876543210987"].join("\n"),
    );
    for (const value of ["10%対象", "¥500", "8%対象", "¥80", "¥6,580", "T9876543210987", 'href="https://shop.example.jp/r/receipt-token"']) expect(mail.html).toContain(value);
    // The receipt stands before the paragraph that leads to its button.
    expect(mail.text.indexOf("■ご請求明細")).toBeLessThan(mail.text.indexOf("領収書は下記より"));

    const en = await renderMail({ template: "charge_succeeded", locale: "en", variables, override: null, receipt: { ...receipt, registrationNumber: null } });
    expect(en.text).toContain("Receipt\n月謝プラン 2027年6月分: ¥5,500");
    expect(en.text).toContain("Subject to 8% tax: ¥1,080 (tax ¥80)\nTotal: ¥6,580\nPaid on: 2027-06-01\nInvoice: inv_42\n");
    expect(en.text).not.toMatch(/Registration|T9876543210987/);
  });

  it("renders a receipt mail without receipt data (a preview) from the amount alone", async () => {
    const mail = await renderMail({ template: "charge_succeeded", locale: "ja", variables: variablesFor("charge_succeeded"), override: null, receipt: null });
    expect(mail.text).toContain("月謝プランのお支払い（¥3,980）を確かに承りました");
    expect(mail.text).not.toContain("ご請求明細");
  });

  it("renders a merchant's body in the layout: variables filled, paragraphs and breaks kept, URLs linked, markup as text", async () => {
    const override = {
      subject: "%%name%%様：%%product%%のご案内",
      body: '%%name%%様\r\n\r\n<script>alert("x")</script> & <b>太字</b>\n次の行 https://blog.example.jp/news?a=1&b=2 をご覧ください。\n\n\n%%card_update_url%%\n\n%%footer%%\nおわり',
    };
    const variables = variablesFor("unpaid_notice");
    const mail = await renderMail({ template: "unpaid_notice", locale: "ja", variables, override });
    expect(mail.subject).toBe("山田 花子様：英会話レッスンのご案内");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>");
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;太字&lt;/b&gt;<br/>次の行 ");
    expect(mail.html).toContain('href="https://blog.example.jp/news?a=1&amp;b=2"');
    expect(mail.html).toContain('href="https://shop.example.jp/mypage/card?token=card-token"');
    expect(mail.text).toBe(
      [
        "山田 花子様",
        "",
        '<script>alert("x")</script> & <b>太字</b>',
        "次の行 https://blog.example.jp/news?a=1&b=2 をご覧ください。",
        "",
        "https://shop.example.jp/mypage/card?token=card-token",
        "",
        "デモ商店 お客様窓口 support@example.jp",
        "おわり",
        "",
      ].join("\n"),
    );
    // The body placed %%footer%% itself: the layout does not add it a second time.
    expect(mail.html.split("support@example.jp")).toHaveLength(2);
  });

  it("adds the button after a merchant's body that does not link the main page, and the footer under it", async () => {
    const mail = await renderMail({ template: "welcome", locale: "en", variables: variablesFor("welcome"), override: { body: "Hello %%name%%!" } });
    expect(mail.subject).toBe("[デモ商店] Welcome to 月謝プラン");
    expect(mail.text).toBe(
      ["Hello 山田 花子!", "", "Open your account page", "https://shop.example.jp/mypage", "", "-".repeat(60), "デモ商店 お客様窓口 support@example.jp", ""].join("\n"),
    );
    expect(mail.html).toContain('href="https://shop.example.jp/mypage"');
  });

  it("keeps a subject on one line", async () => {
    const mail = await renderMail({ template: "welcome", locale: "ja", variables: { name: "A\r\nBcc: x@example.jp" }, override: { subject: "%%name%% 様" } });
    expect(mail.subject).toBe("A Bcc: x@example.jp 様");
  });

  it("takes each field of the product's wording over the merchant's", () => {
    expect(mailOverrideFor({ welcome: { subject: "S", body: "B" } }, { welcome: { body: "P" } }, "welcome")).toEqual({ subject: "S", body: "P" });
    expect(mailOverrideFor({ welcome: { enabled: false } }, null, "welcome")).toBeNull();
  });
});
