import { defineMail } from "./_components/define-mail";

/** The contract moved to another plan. */
const PlanChangedMail = defineMail({ template: "plan_changed", links: ["mypage_url"] });
export default PlanChangedMail;
