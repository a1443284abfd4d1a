import type { Platform } from "./context";
import { closeAtobaraiSettlements } from "./close-atobarai-settlements";
import { runAtobaraiCollection } from "./run-atobarai-collection";

export type AtobaraiMoneyPass = { reminded: number; collected: number; fallbacksSettled: number; statementsClosed: number };

/** One pass of the 後払い money workers: reminders and collection, then the settlement closes that are due. */
export async function runAtobaraiMoney(platform: Pick<Platform, "db" | "clock" | "links">): Promise<AtobaraiMoneyPass> {
  const collection = await runAtobaraiCollection(platform);
  const settlement = await closeAtobaraiSettlements(platform);
  return { ...collection, statementsClosed: settlement.closed.length };
}
