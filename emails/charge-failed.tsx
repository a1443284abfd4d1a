import { defineMail } from "./_components/define-mail";

/** A declined charge: the signed card-update link, sent at every failure (seed 000). */
const ChargeFailedMail = defineMail({ template: "charge_failed", links: ["card_update_url", "mypage_url"] });
export default ChargeFailedMail;
