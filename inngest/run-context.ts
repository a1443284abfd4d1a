import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import type { RunContext } from "@/lib/services/run-due-actions";

/** Where a function's steps get their platform (database, gateways, clock): built on first use, never at import or build. */
export type RunContextSource = () => Promise<RunContext>;

export const configuredRunContext: RunContextSource = async () => configuredPlatform(await getDatabase());
