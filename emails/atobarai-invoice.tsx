import { defineMail } from "./_components/define-mail";

/** To a 後払い buyer when the goods ship: the invoice (PDF), the due date and how to pay at a konbini, bank or post office. */
const AtobaraiInvoiceMail = defineMail({ template: "atobarai_invoice", links: ["invoice_url"] });
export default AtobaraiInvoiceMail;
