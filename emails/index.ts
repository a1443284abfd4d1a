import type { MailTemplate } from "@/lib/billing/mail-template";
import type { MailEmail } from "./_components/define-mail";
import WelcomeMail from "./welcome";
import ChargeSucceededMail from "./charge-succeeded";
import ChargeFailedMail from "./charge-failed";
import PaymentAuthenticationMail from "./payment-authentication";
import UnpaidNoticeMail from "./unpaid-notice";
import FinalNoticeMail from "./final-notice";
import WithdrawalNoticeMail from "./withdrawal-notice";
import TrialEndingMail from "./trial-ending";
import CardExpiringMail from "./card-expiring";
import CanceledMail from "./canceled";
import ResumedMail from "./resumed";
import PausedMail from "./paused";
import PlanChangedMail from "./plan-changed";
import RefundMail from "./refund";
import SignInLinkMail from "./sign-in-link";
import PasswordResetMail from "./password-reset";
import EmailChangeMail from "./email-change";
import StaffInvitationMail from "./staff-invitation";
import WebhookEndpointDisabledMail from "./webhook-endpoint-disabled";
import DisputeOpenedMail from "./dispute-opened";
import AtobaraiScreeningResultMail from "./atobarai-screening-result";
import AtobaraiInvoiceMail from "./atobarai-invoice";
import AtobaraiReminderMail from "./atobarai-reminder";
import AtobaraiFinalReminderMail from "./atobarai-final-reminder";
import AtobaraiCollectionMail from "./atobarai-collection";

/** The react-email component of every mail. */
export const MAIL_EMAILS: Record<MailTemplate, MailEmail> = {
  welcome: WelcomeMail,
  charge_succeeded: ChargeSucceededMail,
  charge_failed: ChargeFailedMail,
  payment_authentication: PaymentAuthenticationMail,
  unpaid_notice: UnpaidNoticeMail,
  final_notice: FinalNoticeMail,
  withdrawal_notice: WithdrawalNoticeMail,
  trial_ending: TrialEndingMail,
  card_expiring: CardExpiringMail,
  canceled: CanceledMail,
  resumed: ResumedMail,
  paused: PausedMail,
  plan_changed: PlanChangedMail,
  refund: RefundMail,
  sign_in_link: SignInLinkMail,
  password_reset: PasswordResetMail,
  email_change: EmailChangeMail,
  staff_invitation: StaffInvitationMail,
  webhook_endpoint_disabled: WebhookEndpointDisabledMail,
  dispute_opened: DisputeOpenedMail,
  atobarai_screening_result: AtobaraiScreeningResultMail,
  atobarai_invoice: AtobaraiInvoiceMail,
  atobarai_reminder: AtobaraiReminderMail,
  atobarai_final_reminder: AtobaraiFinalReminderMail,
  atobarai_collection: AtobaraiCollectionMail,
};
