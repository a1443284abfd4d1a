import { sampleVariables } from "@/lib/mail/mail-variables";
import type { ReceiptData } from "@/lib/mail/render-mail";
import { composeMail, type MailProps, type MailSpec } from "./compose";
import { MailLayout } from "./mail-layout";

export type MailEmail = ((props: MailProps) => React.JSX.Element) & { spec: MailSpec; PreviewProps: MailProps };

/** A sample receipt with two tax rates, for previews (react-email's dev server reads PreviewProps). */
export const SAMPLE_RECEIPT: ReceiptData = {
  lines: [
    { description: "月謝プラン（2027年6月分）", amount: "¥3,300" },
    { description: "教材費", amount: "¥680" },
  ],
  taxes: [
    { rate: "10%", taxable: "¥3,300", tax: "¥300" },
    { rate: "8%", taxable: "¥680", tax: "¥50" },
  ],
  total: "¥3,980",
  paidAt: "2027-06-01",
  invoiceId: "inv_sample",
  registrationNumber: "T1234567890123",
};

/** One mail's react-email component, built on the shared layout. */
export function defineMail(spec: MailSpec): MailEmail {
  const Email = (props: MailProps) => <MailLayout {...composeMail(spec, props)} />;
  Email.displayName = spec.template;
  return Object.assign(Email, {
    spec,
    PreviewProps: { locale: "ja", variables: sampleVariables(spec.template), body: null, receipt: spec.receipt ? SAMPLE_RECEIPT : null } satisfies MailProps,
  });
}
