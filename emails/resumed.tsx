import { defineMail } from "./_components/define-mail";

/** The contract runs again (after a pause, or a cancellation taken back). */
const ResumedMail = defineMail({ template: "resumed", links: ["mypage_url"] });
export default ResumedMail;
