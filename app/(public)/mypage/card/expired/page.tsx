import { notFound } from "next/navigation";

/**
 * Where an expired card link is sent: the token travels in the query, which a layout cannot read, so the page that
 * found it expired redirects here and this segment's own not-found says so (a 404, the token gone from the address).
 */
export default function CardLinkExpiredPage() {
  notFound();
}
