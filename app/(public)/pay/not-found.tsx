import { LinkRefused } from "../_components/link-refused";

/** A payment link that is not ours, not for a payment, or whose invoice is gone (raised by [token]/layout.tsx). */
export default function PaymentLinkInvalid() {
  return <LinkRefused namespace="payment" reason="invalid" />;
}
