import { defineMail } from "./_components/define-mail";

/** Money went back to the customer; the button opens the paid invoice's receipt when the refund has one. */
const RefundMail = defineMail({ template: "refund", links: ["receipt_url", "mypage_url"] });
export default RefundMail;
