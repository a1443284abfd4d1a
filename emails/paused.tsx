import { defineMail } from "./_components/define-mail";

/** The contract is paused, with the date it resumes by itself when one was set. */
const PausedMail = defineMail({ template: "paused", links: ["mypage_url"] });
export default PausedMail;
