import { defineMail } from "./_components/define-mail";

/** Dunning, withdrawal (seed 002, task 3): the membership ends; the button opens the customer's page, as the seed's copy does. */
const WithdrawalNoticeMail = defineMail({ template: "withdrawal_notice", links: ["mypage_url"] });
export default WithdrawalNoticeMail;
