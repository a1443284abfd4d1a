import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { type Database, openDatabase } from "@/db/client";
import { staffUsers } from "@/db/schema";
import { randomBase62 } from "@/lib/auth/random";
import { env } from "@/lib/env";
import { configuredPlatform } from "@/lib/platform";
import { type Actor, type Clock, type Platform, systemClock } from "@/lib/services/context";
import { createMerchant } from "@/lib/services/create-merchant";
import { operatorContext } from "@/lib/services/contexts";
import { createStaffUser } from "@/lib/services/create-staff-user";
import type { StaffRole } from "@/lib/auth/roles";
import { seedDemoContracts } from "./demo-contracts";

export const DEMO_MERCHANT_NAME = "デモ商店";
export const DEMO_EMAIL = "demo@keizoku.test";
export const DEMO_CREDENTIALS_FILE = "demo-credentials.json";
const SEED_ACTOR: Actor = { type: "system", id: "seed" };
/** Connections of the seeding pool: the people acting side by side and the runner's batches (demo-contracts.ts). */
const SEEDING_CONNECTIONS = 8;

export type DemoStaffLogin = { role: StaffRole; email: string; password: string };

/**
 * What `npm start` prints: the demo owner's staff login and the demo merchant's API secret key; `staff` has one
 * login per role (the owner's among them) for trying the console's roles.
 */
export type DemoCredentials = { email: string; password: string; secretKey: string; staff: DemoStaffLogin[] };

/** One demo staff member per role besides the owner. */
const DEMO_STAFF: readonly { role: Exclude<StaffRole, "owner">; name: string }[] = [
  { role: "admin", name: "デモ管理者" },
  { role: "operator", name: "デモ担当者" },
  { role: "viewer", name: "デモ閲覧者" },
];
const demoStaffEmail = (role: StaffRole) => (role === "owner" ? DEMO_EMAIL : `demo-${role}@keizoku.test`);

export type DemoSeed = {
  merchantId: string;
  /** True on the start that created the demo merchant; false when it was already there. */
  created: boolean;
  /** Null when the demo merchant exists but its credentials file is gone (another data directory). */
  credentials: DemoCredentials | null;
  credentialsFile: string;
};

export type SeedOptions = {
  /** Where demo-credentials.json lives; KEIZOKU_DATA_DIR by default (also with DATABASE_URL). */
  dataDir?: string;
  clock?: Clock;
  /** Contracts in each status; KEIZOKU_DEMO_CONTRACTS_PER_STATUS (200) by default. */
  contractsPerStatus?: number;
};

/** What each seeding step gets: the platform (its clock is "now"), the demo merchant it fills and how much. */
export type DemoSeedContext = { platform: Platform; merchantId: string; contractsPerStatus: number };

/**
 * Steps that fill a newly created demo merchant, run in order once, on the start that created it.
 * Add products, customers and contracts in every state here (each step a function of its own).
 */
const DEMO_STEPS: ReadonlyArray<(ctx: DemoSeedContext) => Promise<void>> = [seedDemoContracts];

/**
 * Seeds the demo merchant on first start; later starts find it and read its saved credentials back.
 * Idempotent: keyed on the demo owner's email.
 */
export async function seedDemo(database: Database, options: SeedOptions = {}): Promise<DemoSeed> {
  const dataDir = path.resolve(options.dataDir ?? env().KEIZOKU_DATA_DIR);
  const credentialsFile = path.join(dataDir, DEMO_CREDENTIALS_FILE);
  const clock = options.clock ?? systemClock;

  const [existing] = await database.db
    .select({ merchantId: staffUsers.merchantId })
    .from(staffUsers)
    .where(eq(staffUsers.email, DEMO_EMAIL))
    .limit(1);
  if (existing) {
    return { merchantId: existing.merchantId, created: false, credentials: readCredentials(credentialsFile), credentialsFile };
  }

  const password = randomBase62(16);
  const { merchantId, secretKey } = await createMerchant(
    { db: database.db, actor: SEED_ACTOR, clock },
    { name: DEMO_MERCHANT_NAME, email: DEMO_EMAIL, password, ownerName: "デモ店長" },
  );
  const platform = { ...configuredPlatform(database), clock };
  const staff: DemoStaffLogin[] = [{ role: "owner", email: DEMO_EMAIL, password }];
  for (const { role, name } of DEMO_STAFF) {
    const login = { role, email: demoStaffEmail(role), password: randomBase62(16) };
    await createStaffUser(operatorContext(platform, merchantId, "seed"), { email: login.email, name, password: login.password, role });
    staff.push(login);
  }
  // Saved before anything else can fail: the passwords and the key exist nowhere else in clear.
  const credentials: DemoCredentials = { email: DEMO_EMAIL, password, secretKey, staff };
  writeCredentials(credentialsFile, credentials);

  const contractsPerStatus = options.contractsPerStatus ?? env().KEIZOKU_DEMO_CONTRACTS_PER_STATUS;
  await withSeedingDatabase(database, async (seeding) => {
    const ctx: DemoSeedContext = { platform: { ...configuredPlatform(seeding), clock }, merchantId, contractsPerStatus };
    for (const step of DEMO_STEPS) await step(ctx);
  });

  return { merchantId, created: true, credentials, credentialsFile };
}

/**
 * The demo's history is thousands of small transactions. On PostgreSQL they run on connections of their own with
 * synchronous_commit off: a commit then returns without waiting for its WAL flush (durability of the last few
 * commits on a crash is all it gives up; the data stays consistent), which makes seeding about N× faster on a
 * disk that flushes slowly. PGlite is one connection: the database itself is used.
 */
async function withSeedingDatabase(database: Database, run: (seeding: Database) => Promise<void>): Promise<void> {
  if (database.kind !== "postgres" || !database.url) return run(database);
  const url = new URL(database.url);
  url.searchParams.set("synchronous_commit", "off");
  const seeding = await openDatabase({ url: url.toString(), max: SEEDING_CONNECTIONS });
  try {
    await run(seeding);
  } finally {
    await seeding.close();
  }
}

function writeCredentials(file: string, credentials: DemoCredentials): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // the mode above applies only when the file is new
}

function readCredentials(file: string): DemoCredentials | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<DemoCredentials>;
    if (typeof parsed.email === "string" && typeof parsed.password === "string" && typeof parsed.secretKey === "string") {
      const staff = Array.isArray(parsed.staff) ? parsed.staff : [{ role: "owner" as const, email: parsed.email, password: parsed.password }];
      return { email: parsed.email, password: parsed.password, secretKey: parsed.secretKey, staff };
    }
  } catch {
    // unreadable: treated as missing
  }
  return null;
}
