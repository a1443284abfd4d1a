import type { StandInMessage } from "@/test/support/resend-stand-in";
import { E2E_MAIL_URL } from "../server-env";

/** What the server under test delivered to this address, as the Resend stand-in received it (oldest first). */
export async function inbox(address: string): Promise<StandInMessage[]> {
  const all = (await (await fetch(`${E2E_MAIL_URL}/_stand-in/messages`)).json()) as StandInMessage[];
  return all.filter((message) => message.to === address);
}
