import { readFileSync } from "node:fs";
import type { Database } from "@/db/client";

/**
 * CPU time spent per phase, by this process and by the PostgreSQL backends serving the scratch database. On a
 * shared 2-core machine the wall-clock rate moves with whatever else runs; CPU per renewal does much less, and it
 * says which side (Node or the server) a change helped.
 */
export type CpuUsed = { nodeMs: number; serverMs: number | null };

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of the server's backends for this database, when the server runs on this machine. */
async function backendCpuMs(database: Database): Promise<number | null> {
  if (database.kind !== "postgres") return null;
  const rows = await database.query<{ pid: number }>("select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      // Fields after the ")" of the command name: state is field 3, utime 14 and stime 15 (1-based, see proc(5)).
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }
  return ticks * TICK_MS;
}

/** Starts counting; the returned function stops and says how much CPU each side used meanwhile. */
export async function startCpuMeter(database: Database): Promise<() => Promise<CpuUsed>> {
  const node = process.cpuUsage();
  const server = await backendCpuMs(database);
  return async () => {
    const used = process.cpuUsage(node);
    const after = server === null ? null : await backendCpuMs(database);
    return { nodeMs: (used.user + used.system) / 1000, serverMs: after === null || server === null ? null : after - server };
  };
}
