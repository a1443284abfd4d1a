/**
 * `npm start`: the whole product on this machine. Applies migrations, seeds the demo merchant on first
 * start, builds when the sources changed, then serves with `next start` on PORT (default 3000).
 * Unless DATABASE_URL names a PostgreSQL database, an embedded PostgreSQL server on KEIZOKU_DATA_DIR/postgres
 * (default .data/), started here and shared with the server and the CLI (lib/runtime.ts); PGlite in KEIZOKU_DATA_DIR
 * with KEIZOKU_EMBEDDED_DATABASE=pglite.
 */
import type { Database } from "@/db/client";
import { seedDemo, type DemoSeed } from "@/scripts/demo/seed";
import { childEnv, env } from "@/lib/env";
import { configuredDatabase, databaseKindLabel, describeConfiguredDatabase, openConfiguredDatabase } from "@/lib/runtime";
import { buildNeeded, exitCodeOf, nextBuild, spawnNext } from "./lib/next";

const log = (line = "") => process.stdout.write(`${line}\n`);

/**
 * Migrates and seeds. The database stays open while the server runs (so the embedded PostgreSQL server keeps running
 * between here and the server's start, and stops when both are done), except PGlite: a PGlite directory takes one
 * process at a time, so it is closed for the server to open it again.
 */
async function prepareDatabase(): Promise<{ seed: DemoSeed; kind: string; database: Database | null }> {
  const e = env();
  log(`Database: ${describeConfiguredDatabase(e)}`);
  const database = await openConfiguredDatabase(e, { log, max: 2 });
  let keepOpen = false;
  try {
    const seed = await seedDemo(database);
    if (seed.created) log(`Seeded the demo merchant (${seed.merchantId}); its logins are saved in ${seed.credentialsFile}.`);
    keepOpen = database.kind !== "pglite";
    const kind = configuredDatabase(e).kind === "embedded-postgres" ? "埋め込み PostgreSQL" : databaseKindLabel(database.kind);
    return { seed, kind, database: keepOpen ? database : null };
  } finally {
    if (!keepOpen) await database.close();
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
      ` コンソール: http://localhost:${port}/console  (デモ商店のスタッフログイン)`,
      `   email:    ${seed.credentials.email}`,
      `   password: ${seed.credentials.password}`,
      `   (admin / operator / viewer の各ロールのログインも ${seed.credentialsFile} にあります)`,
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
  const { seed, kind, database } = await prepareDatabase();
  try {
    return await buildAndServe(port, kind, seed);
  } finally {
    await database?.close();
  }
}

async function buildAndServe(port: number, kind: string, seed: DemoSeed): Promise<number> {
  // Ctrl-C (or SIGTERM) ends the build or the server; main() then closes the database before exiting.
  const running: { server?: ReturnType<typeof spawnNext> } = {};
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopping = true;
      const { server } = running;
      if (server && server.exitCode === null && server.signalCode === null) server.kill(signal);
    });
  }
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

  if (stopping) return 130;
  const server = spawnNext(["start", "-p", String(port)], { env: childEnv({ PORT: String(port) }) });
  running.server = server;
  log(banner(port, kind, seed));
  return exitCodeOf(server);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // An old PGlite data directory is a situation to explain, not a crash.
    const plain = error instanceof Error && error.name === "OldPgliteDataDirError";
    process.stderr.write(`npm start failed: ${error instanceof Error ? (plain ? error.message : (error.stack ?? error.message)) : String(error)}\n`);
    process.exit(1);
  },
);
