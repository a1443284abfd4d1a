import { defineMail } from "./_components/define-mail";

/** To the merchant's owners: a 後払い order unpaid after the reminders went to collection (要回収). */
const AtobaraiCollectionMail = defineMail({ template: "atobarai_collection", links: ["order_url"] });
export default AtobaraiCollectionMail;
