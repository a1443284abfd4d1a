import { defineConfig } from "vitest/config";
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
  },
});
