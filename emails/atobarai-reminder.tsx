import { defineMail } from "./_components/define-mail";

/** To a 後払い buyer whose invoice is past due (issue 14): the first reminder, with the numbers to pay with. */
const AtobaraiReminderMail = defineMail({ template: "atobarai_reminder", links: [] });
export default AtobaraiReminderMail;
