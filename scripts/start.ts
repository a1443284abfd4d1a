/**
 * `npm start`: the whole product on this machine. Applies migrations, seeds the demo merchant on first
 * start, builds when the sources changed, then serves with `next start` on PORT (default 3000).
 * PGlite under KEIZOKU_DATA_DIR (default .data/) unless DATABASE_URL names a PostgreSQL database.
 */
import path from "node:path";
import { seedDemo, type DemoSeed } from "@/scripts/demo/seed";
import { childEnv, env } from "@/lib/env";
import { databaseKindLabel, openConfiguredDatabase } from "@/lib/runtime";
import { buildNeeded, exitCodeOf, nextBuild, spawnNext } from "./lib/next";

const log = (line = "") => process.stdout.write(`${line}\n`);

async function prepareDatabase(): Promise<{ seed: DemoSeed; kind: string }> {
  const e = env();
  log(e.DATABASE_URL ? "Database: PostgreSQL (DATABASE_URL)" : `Database: embedded PGlite in ${path.resolve(e.KEIZOKU_DATA_DIR)}`);
  const database = await openConfiguredDatabase(e);
  try {
    const seed = await seedDemo(database);
    if (seed.created) log(`Seeded the demo merchant (${seed.merchantId}); its logins are saved in ${seed.credentialsFile}.`);
    return { seed, kind: databaseKindLabel(database.kind) };
  } finally {
    // A PGlite directory takes one process at a time: the server opens it again on its own.
    await database.close();
  }
}

function banner(port: number, kind: string, seed: DemoSeed): string {
  const lines = [
    "",
    "────────────────────────────────────────────────────────────",
    ` Keizoku 継続課金   http://localhost:${port}`,
    ` データベース: ${kind}`,
  ];
  if (seed.credentials) {
    lines.push(
      " デモ加盟店 (デモ商店) のスタッフログイン:",
      `   email:    ${seed.credentials.email}`,
      `   password: ${seed.credentials.password}`,
      ` デモ API シークレットキー: ${seed.credentials.secretKey}`,
      ` (saved in ${seed.credentialsFile})`,
    );
  } else {
    lines.push(
      ` The demo merchant exists, but its credentials file ${seed.credentialsFile} is missing:`,
      " it was seeded with another KEIZOKU_DATA_DIR. Create a merchant of your own with",
      "   npm run cli -- merchant create --name NAME --email EMAIL --password PASSWORD",
    );
  }
  lines.push("────────────────────────────────────────────────────────────", "");
  return lines.join("\n");
}

async function main(): Promise<number> {
  const { PORT: port } = env();
  const { seed, kind } = await prepareDatabase();

  const reason = buildNeeded();
  if (reason) {
    log(`Building (${reason}) …`);
    const code = await nextBuild();
    if (code !== 0) {
      process.stderr.write(`next build failed (exit ${code})\n`);
      return code;
    }
  } else {
    log("The production build is up to date.");
  }

  const server = spawnNext(["start", "-p", String(port)], { env: childEnv({ PORT: String(port) }) });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (server.exitCode === null && server.signalCode === null) server.kill(signal);
    });
  }
  log(banner(port, kind, seed));
  return exitCodeOf(server);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
