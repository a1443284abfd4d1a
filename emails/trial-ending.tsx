import { defineMail } from "./_components/define-mail";

/** The trial ends soon: it turns into a paid contract unless canceled on the customer's page. */
const TrialEndingMail = defineMail({ template: "trial_ending", links: ["mypage_url"] });
export default TrialEndingMail;
