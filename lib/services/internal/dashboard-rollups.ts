import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * Recounts a merchant's dashboard rollups from its rows (migration 0016's dashboard_rollups_rebuild): the rollups are
 * kept by local day, so they move when the merchant's time zone changes. Call it in the transaction that changes it.
 */
export async function rebuildDashboardRollups(tx: Db, merchantId: string): Promise<void> {
  await tx.execute(sql`select dashboard_rollups_rebuild(${merchantId})`);
}
