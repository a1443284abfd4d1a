import { defineMail } from "./_components/define-mail";

/** To the merchant's owners: a 後払い order's screening (与信) result, with only what seed 003 lists; the console shows the rest. */
const AtobaraiScreeningResultMail = defineMail({ template: "atobarai_screening_result", links: ["order_url"] });
export default AtobaraiScreeningResultMail;
