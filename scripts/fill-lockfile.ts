/**
 * `npm run lockfile:fill`: makes `npm ci` work with the registry mirror here.
 *
 * The mirror carries only some platforms' builds of native packages (next's swc, tailwind's oxide,
 * unrs-resolver's bindings), so `npm install` leaves their other platforms out of package-lock.json,
 * and `npm ci` then refuses the lock file ("Missing: @next/swc-darwin-arm64@ from lock file").
 * This adds a lock entry (version, os, cpu, libc; no integrity) for every optional platform package
 * that a locked package names but the lock lacks. npm skips them on other platforms without fetching;
 * elsewhere npm fetches them from the public registry. Run it after changing dependencies.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./lib/next";

type LockEntry = { version?: string; dev?: boolean; optionalDependencies?: Record<string, string>; [key: string]: unknown };
type Platform = { cpu: string[]; os?: string[]; libc?: string[] };

const PLATFORM = /(android|darwin|freebsd|linux|openharmony|win32|wasm32)-([a-z0-9]+)(?:-(gnueabihf|musleabihf|gnu|musl|msvc|eabi|wasi))?$/;

function platformOf(name: string): Platform | null {
  const match = PLATFORM.exec(name.split("/").at(-1) ?? "");
  if (!match) return null;
  const [, os = "", cpu = "", abi] = match;
  if (os === "wasm32") return { cpu: ["wasm32"] };
  return { cpu: [cpu], os: [os], ...(os === "linux" ? { libc: [abi?.startsWith("musl") ? "musl" : "glibc"] } : {}) };
}

const lockPath = path.join(ROOT, "package-lock.json");
const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { packages: Record<string, LockEntry> };
const packages = lock.packages;
const added: string[] = [];
for (const [key, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    // npm resolves a dependency next to its dependent first, then up to the root.
    const nested = `${key}/node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) continue;
    packages[`node_modules/${name}`] = { version: spec, ...platform, ...(entry.dev ? { dev: true } : {}), optional: true };
    added.push(`${name}@${spec}`);
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(lockPath, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
process.stdout.write(added.length ? `Added ${added.length} platform packages to package-lock.json:\n  ${added.join("\n  ")}\n` : "package-lock.json already lists every platform package.\n");
