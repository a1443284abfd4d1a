import { LinkRefused } from "../../_components/link-refused";

/** A receipt link of ours that has expired (raised by the page; an invalid one never gets this far: see layout.tsx). */
export default function ReceiptLinkExpired() {
  return <LinkRefused namespace="receipt" reason="expired" />;
}
