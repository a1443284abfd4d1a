import { LinkRefused } from "../_components/link-refused";

/** A receipt link that is not ours, not for a receipt, or whose invoice is gone (raised by [token]/layout.tsx). */
export default function ReceiptLinkInvalid() {
  return <LinkRefused namespace="receipt" reason="invalid" />;
}
