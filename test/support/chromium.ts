import { accessSync, constants } from "node:fs";
import { chromium } from "playwright-core";

/**
 * The Chromium that the Playwright browser tests drive: Debian's /usr/bin/chromium when installed, otherwise the
 * build that `npx playwright install chromium` downloads (playwright-core's registry knows where it goes). Null when
 * neither is there. playwright.config.ts launches what this finds; scripts/test.ts checks it before the browser step.
 */
export type FoundChromium = { path: string; source: string };

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export const NO_CHROMIUM_HELP = [
  `No Chromium for the browser tests: neither ${DEBIAN_CHROMIUM} nor Playwright's own download (${playwrightChromiumPath() ?? "unknown path"}) is there.`,
  "Install one:",
  "  apt-get install -y chromium        (Debian/Ubuntu; what CI does)",
  "  npx playwright install chromium    (where browser downloads work)",
].join("\n");

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function playwrightChromiumPath(): string | null {
  try {
    return chromium.executablePath();
  } catch {
    return null;
  }
}

export function findChromium(): FoundChromium | null {
  if (executable(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, source: "Debian's chromium package" };
  const downloaded = playwrightChromiumPath();
  if (downloaded && executable(downloaded)) return { path: downloaded, source: "Playwright's downloaded Chromium" };
  return null;
}
