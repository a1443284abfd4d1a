import { readFileSync } from "node:fs";
import path from "node:path";
import type { StaffRole } from "@/lib/auth/roles";
import type { DemoCredentials } from "@/scripts/demo/seed";
import { E2E_DATA_DIR } from "../server-env";

/** What the web server's seed wrote for the tests: the demo merchant's key and one staff login per role. */
export function demoCredentials(): DemoCredentials {
  const file = path.join(E2E_DATA_DIR, "demo-credentials.json");
  const credentials = JSON.parse(readFileSync(file, "utf8")) as DemoCredentials;
  if (!credentials.secretKey?.startsWith("sk_") || !Array.isArray(credentials.staff)) throw new Error(`no demo credentials in ${file}`);
  return credentials;
}

export function staffLogin(role: StaffRole): { email: string; password: string } {
  const login = demoCredentials().staff.find((s) => s.role === role);
  if (!login) throw new Error(`no demo ${role} login`);
  return login;
}

/** Where the setup project keeps each role's signed-in browser state. */
export function storageStateOf(role: StaffRole): string {
  return path.join(E2E_DATA_DIR, "auth", `${role}.json`);
}
