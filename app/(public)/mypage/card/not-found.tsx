import { LinkRefused } from "../../_components/link-refused";

/** A card link that is missing, not ours, not for this page, or whose contract is gone. */
export default function CardLinkInvalid() {
  return <LinkRefused namespace="cardUpdate" reason="invalid" />;
}
