/**
 * Playwright's web server runs this before `next start` (see playwright.config.ts): it applies the migrations
 * and seeds the demo merchant into the server's fresh data directory, exactly as `npm start` does, so that the
 * demo API secret key is in <KEIZOKU_DATA_DIR>/demo-credentials.json for the API tests. It closes the
 * database before the server opens it: the embedded PostgreSQL server stops and the server starts it again (with
 * KEIZOKU_EMBEDDED_DATABASE=pglite, a PGlite directory takes one process at a time).
 */
import { seedDemo } from "@/scripts/demo/seed";
import { openConfiguredDatabase } from "@/lib/runtime";

const database = await openConfiguredDatabase();
try {
  const seed = await seedDemo(database);
  process.stdout.write(`e2e: demo merchant ${seed.merchantId} ${seed.created ? "seeded" : "already there"}; credentials in ${seed.credentialsFile}\n`);
  if (!seed.credentials) throw new Error(`the demo merchant exists but ${seed.credentialsFile} is missing`);
} finally {
  await database.close();
}
