import { defineMail } from "./_components/define-mail";

/** To the merchant's owners: a cardholder's bank opened a chargeback against a paid invoice; the console shows it. */
const DisputeOpenedMail = defineMail({ template: "dispute_opened", links: ["contract_url"] });
export default DisputeOpenedMail;
