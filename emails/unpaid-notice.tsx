import { defineMail } from "./_components/define-mail";

/** Dunning, first step (seed 002, task 1): the payment is unpaid; the button opens the card page. */
const UnpaidNoticeMail = defineMail({ template: "unpaid_notice", links: ["card_update_url", "mypage_url"] });
export default UnpaidNoticeMail;
