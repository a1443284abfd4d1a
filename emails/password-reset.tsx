import { defineMail } from "./_components/define-mail";

/** A mypage mail: its link is single use and short-lived (lib/services/mypage). */
const PasswordResetMail = defineMail({ template: "password_reset", links: ["reset_url"] });
export default PasswordResetMail;
