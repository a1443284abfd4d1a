import type { StandInMessage } from "@/test/support/resend-stand-in";
import { E2E_MAIL_URL } from "../server-env";

/** What the server under test delivered to this address, as the Resend stand-in received it (oldest first). */
export async function inbox(address: string): Promise<StandInMessage[]> {
  const all = (await (await fetch(`${E2E_MAIL_URL}/_stand-in/messages`)).json()) as StandInMessage[];
  return all.filter((message) => message.to === address);
}

/** The first link of a delivered mail's HTML whose path starts so, as the customer would click it. */
export function linkIn(message: StandInMessage, path: string): string {
  const href = [...message.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&")).find((url) => new URL(url).pathname.startsWith(path));
  if (!href) throw new Error(`no ${path} link in "${message.subject}"`);
  return href;
}
