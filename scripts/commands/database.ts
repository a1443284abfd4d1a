import { parseArgs } from "node:util";
import { acquireSharedPostgres } from "@/lib/embedded-postgres";
import { env } from "@/lib/env";
import { configuredDatabase } from "@/lib/runtime";
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from "./command";

const usage = `Usage:
  npm run cli -- database serve

Starts the embedded PostgreSQL server on KEIZOKU_DATA_DIR (or joins the one that runs there, e.g. npm start's),
prints its connection URL as the last line of stdout, and keeps it running until Ctrl-C: for psql, for
DATABASE_URL=… npm run bench, or for any other tool. The server stops when its last user (npm start, the CLI, this)
is gone. Not used when DATABASE_URL is set or with KEIZOKU_EMBEDDED_DATABASE=pglite.`;

export const databaseCommand: CliCommand = {
  name: "database",
  summary: "database serve: keep the embedded PostgreSQL server running and print its URL",
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== "serve") throw new UsageError(sub ? `unknown subcommand 'database ${sub}'` : "missing subcommand");
    parseArgs({ args: rest, options: {}, strict: true, allowPositionals: false });
    const configured = configuredDatabase(env());
    if (configured.kind !== "embedded-postgres") {
      io.err(`database serve: the configured database is ${configured.kind === "url" ? "DATABASE_URL" : "PGlite"}, not the embedded PostgreSQL server`);
      return EXIT_FAILURE;
    }
    const server = await acquireSharedPostgres(configured.dataDir, io.err);
    io.err(`Embedded PostgreSQL on 127.0.0.1:${server.port} (data in ${server.pgdata}); Ctrl-C to leave it`);
    io.out(server.url);
    // Signal listeners alone do not keep Node running: a timer does, until Ctrl-C.
    const keepAlive = setInterval(() => {}, 1 << 30);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    clearInterval(keepAlive);
    await server.release();
    return EXIT_OK;
  },
};
