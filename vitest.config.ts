import { defineConfig } from "vitest/config";
import { availableParallelism } from "node:os";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    // *.pg.test.ts need a database server shared by several processes (crash and concurrency faults):
    // they run in the PostgreSQL pass of `npm test`, not in the embedded PGlite pass.
    exclude: ["node_modules/**", "e2e/**", ".next/**", ...(process.env.DATABASE_URL ? [] : ["**/*.pg.test.ts"])],
    // Migrates once per run; each test database starts as a copy (PGlite: a dumped data directory; PostgreSQL: a
    // template database).
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Each PGlite test file has a database of its own in its process, so files may run side by side even on two
    // cores (vitest's default there is one worker: 3 min instead of 6 here). The PostgreSQL pass keeps the default:
    // its files share one database, and some (the runner's) act on every merchant's due actions.
    ...(process.env.DATABASE_URL ? {} : { maxWorkers: Math.max(2, availableParallelism() - 1) }),
  },
});
