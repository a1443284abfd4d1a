import { defineMail } from "./_components/define-mail";

/** To a 後払い buyer still unpaid after the first reminder: the last one before the order goes to collection. */
const AtobaraiFinalReminderMail = defineMail({ template: "atobarai_final_reminder", links: [] });
export default AtobaraiFinalReminderMail;
