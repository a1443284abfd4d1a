import { defineMail } from "./_components/define-mail";

/** A new contract: what was agreed, and the page where the customer manages it. */
const WelcomeMail = defineMail({ template: "welcome", links: ["mypage_url"] });
export default WelcomeMail;
