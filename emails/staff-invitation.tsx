import { defineMail } from "./_components/define-mail";

/** To someone invited to the merchant's console: its link sets their name and password, once, until it expires. */
const StaffInvitationMail = defineMail({ template: "staff_invitation", links: ["invitation_url"] });
export default StaffInvitationMail;
