import { spawn } from "node:child_process";
import { migrateDatabase, openDatabase } from "@/db/client";
import { seedDueRenewals } from "@/db/fixtures/due-renewals";
const url = "postgres://postgres@127.0.0.1:5432/kz_probe";
const admin = await openDatabase({ url: "postgres://postgres@127.0.0.1:5432/postgres", max: 1 });
await admin.query("drop database if exists kz_probe with (force)"); await admin.query("create database kz_probe");
const db = await openDatabase({ url, max: 2 }); await migrateDatabase(db);
const { merchantId } = await seedDueRenewals(db.db, { count: 1200, dueAt: new Date(Date.now() - 3600_000) });
const child = spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", "runner"], { env: { ...process.env, DATABASE_URL: url, KEIZOKU_LEASE_SECONDS: "2", KEIZOKU_RUNNER_INTERVAL_MS: "100", KEIZOKU_RUNNER_BATCH: "40", KEIZOKU_RUNNER_CONCURRENCY: "8" }, stdio: ["ignore", "inherit", "inherit"] });
const t0 = Date.now(); const samples: string[] = [];
for (;;) {
  const [r] = await db.query<{ p: string; d: string }>("select (select count(*) from payment_attempts where status='pending') p, (select count(*) from scheduled_actions where kind='renewal' and status<>'pending') d");
  samples.push(`${Date.now() - t0}:${r!.p}/${r!.d}`);
  if (Number(r!.d) >= 1200 || Date.now() - t0 > 60000) break;
  await new Promise((res) => setTimeout(res, 20));
}
child.kill("SIGKILL");
console.log(samples.join(" "));
await db.close(); await admin.query("drop database if exists kz_probe with (force)"); await admin.close();
