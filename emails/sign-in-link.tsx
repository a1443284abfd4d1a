import { defineMail } from "./_components/define-mail";

/** A mypage mail: its link is single use and short-lived (lib/services/mypage). */
const SignInLinkMail = defineMail({ template: "sign_in_link", links: ["sign_in_url"] });
export default SignInLinkMail;
