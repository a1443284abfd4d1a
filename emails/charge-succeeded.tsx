import { defineMail } from "./_components/define-mail";

/** The receipt: lines, tax per rate, total and registration number, the button opening the receipt page. */
const ChargeSucceededMail = defineMail({ template: "charge_succeeded", links: ["receipt_url", "mypage_url"], receipt: true });
export default ChargeSucceededMail;
