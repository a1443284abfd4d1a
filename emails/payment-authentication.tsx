import { defineMail } from "./_components/define-mail";

/** A charge the card's issuer takes only once the customer authenticates it (3-D Secure): the signed page that does it. */
const PaymentAuthenticationMail = defineMail({ template: "payment_authentication", links: ["payment_url", "card_update_url", "mypage_url"] });
export default PaymentAuthenticationMail;
