import { defineMail } from "./_components/define-mail";

/** The card on file expires this month (seed 000: sent on the 1st): the signed card-update link. */
const CardExpiringMail = defineMail({ template: "card_expiring", links: ["card_update_url", "mypage_url"] });
export default CardExpiringMail;
