import { defineMail } from "./_components/define-mail";

/** Dunning, final notice (seed 002, task 2): pay within 7 days or the membership ends. */
const FinalNoticeMail = defineMail({ template: "final_notice", links: ["card_update_url", "mypage_url"] });
export default FinalNoticeMail;
