import { configuredGateway } from "@/lib/gateways/configured-gateway";
import { getDatabase } from "@/lib/runtime";
import { systemClock } from "@/lib/services/context";
import type { RunContext } from "@/lib/services/run-due-action";

/** Where a function's steps get their database, gateway and clock: built on first use, never at import or build. */
export type RunContextSource = () => Promise<RunContext>;

export const configuredRunContext: RunContextSource = async () => {
  const database = await getDatabase();
  return { db: database.db, gateway: configuredGateway(database.db), clock: systemClock };
};
