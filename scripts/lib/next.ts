import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
const require = createRequire(import.meta.url);

/** The Next.js CLI entry, run with this Node (no shell, no npx). */
export const NEXT_BIN = require.resolve("next/dist/bin/next");

/** Starts `next <args>` in the repository root. */
export function spawnNext(args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [NEXT_BIN, ...args], { cwd: ROOT, stdio: "inherit", ...options });
}

/** Resolves to the exit code of a child process (128 + n for a signal, as a shell reports it). */
export function exitCodeOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + (signalNumbers[signal] ?? 0) : 1)));
  });
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** What a production build is made from; a change to any of these (tests aside) calls for a new build. */
const BUILD_INPUT_DIRS = ["app", "components", "db", "emails", "i18n", "inngest", "lib", "messages", "public", "types"];
const BUILD_INPUT_FILES = ["package.json", "package-lock.json", "next.config.ts", "tsconfig.json", "tsconfig.build.json", "postcss.config.mjs", "proxy.ts", "global.d.ts"];
const isTestFile = (name: string) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(name);

function newestMtime(entry: string): number {
  let stat;
  try {
    stat = statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return isTestFile(entry) ? 0 : stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer directory
  for (const name of readdirSync(entry)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

/** Why a build is needed (no build yet, or a source newer than it), or null when .next is current. */
export function buildNeeded(root: string = ROOT): string | null {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no production build yet";
  const builtAt = statSync(buildId).mtimeMs;
  for (const entry of [...BUILD_INPUT_DIRS, ...BUILD_INPUT_FILES]) {
    if (newestMtime(path.join(root, entry)) > builtAt) return `${entry} changed since the last build`;
  }
  return null;
}

/** Runs `next build`; resolves to its exit code. */
export function nextBuild(env?: NodeJS.ProcessEnv): Promise<number> {
  return exitCodeOf(spawnNext(["build"], env ? { env } : {}));
}
