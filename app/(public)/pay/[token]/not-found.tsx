import { LinkRefused } from "../../_components/link-refused";

/** A payment link of ours that has expired (raised by the page; an invalid one never gets this far: see layout.tsx). */
export default function PaymentLinkExpired() {
  return <LinkRefused namespace="payment" reason="expired" />;
}
