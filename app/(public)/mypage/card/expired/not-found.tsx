import { LinkRefused } from "../../../_components/link-refused";

export default function CardLinkExpired() {
  return <LinkRefused namespace="cardUpdate" reason="expired" />;
}
