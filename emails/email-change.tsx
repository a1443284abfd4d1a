import { defineMail } from "./_components/define-mail";

/** A mypage mail: its link is single use and short-lived (lib/services/mypage). */
const EmailChangeMail = defineMail({ template: "email_change", links: ["email_confirm_url"] });
export default EmailChangeMail;
