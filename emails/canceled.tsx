import { defineMail } from "./_components/define-mail";

/** The contract was canceled. */
const CanceledMail = defineMail({ template: "canceled", links: ["mypage_url"] });
export default CanceledMail;
