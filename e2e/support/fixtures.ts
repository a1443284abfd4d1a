import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test as base } from "@playwright/test";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffUsers } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import { configuredPlatform } from "@/lib/platform";
import { openConfiguredDatabase } from "@/lib/runtime";
import type { Platform, ServiceContext } from "@/lib/services/context";
import { staffContext } from "@/lib/services/contexts";
import { demoCredentials, storageStateOf } from "./server-data";

/**
 * The server's own data, for tests that seed through the services (as documenso's tests do) with names of their own:
 * the test process opens the server's database (the embedded PostgreSQL server it shares) and acts as a staff member
 * of the demo merchant, so that what it makes shows in the browser signed in as that merchant.
 */
export type ServerData = {
  database: Database;
  platform: Platform;
  merchantId: string;
  /** A service context acting as the demo merchant's staff member of that role. */
  as(role: StaffRole): Promise<ServiceContext>;
};

export const test = base.extend<{ signedInAs: StaffRole | null }, { server: ServerData }>({
  // Each test file chooses a role with test.use({ signedInAs: "viewer" }); null browses signed out.
  signedInAs: ["owner", { option: true }],
  storageState: async ({ signedInAs }, use) => {
    await use(signedInAs ? storageStateOf(signedInAs) : { cookies: [], origins: [] });
  },
  server: [
    async ({}, use) => {
      const database = await openConfiguredDatabase(undefined, { max: 4 });
      const platform = configuredPlatform(database);
      const owner = demoCredentials();
      const [ownerRow] = await database.db.select().from(staffUsers).where(eq(staffUsers.email, owner.email));
      if (!ownerRow) throw new Error("the demo merchant is not seeded");
      const as = async (role: StaffRole) => {
        const login = owner.staff.find((s) => s.role === role)!;
        const [row] = await database.db.select().from(staffUsers).where(eq(staffUsers.email, login.email));
        return staffContext(platform, { merchantId: ownerRow.merchantId, staffUserId: row!.id, role });
      };
      await use({ database, platform, merchantId: ownerRow.merchantId, as });
      await database.close();
    },
    { scope: "worker" },
  ],
});

export { expect };

/** axe-core on the page as it is now: no serious or critical violations (UI.md). */
export async function expectAccessible(page: Page, options: { exclude?: string[] } = {}) {
  // Next streams metadata: right after a client-side navigation the <title> of the new page may not be in the
  // document yet. Check the page once it has settled, not the instant between two titles.
  await page.waitForFunction(() => document.title.trim() !== "");
  // A toast or dialog still fading in is half transparent: axe would measure the contrast of a frame, not the page.
  // Only finite ones: a spinner or a skeleton's pulse never finishes.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => Number.isFinite(animation.effect?.getComputedTiming().iterations ?? Infinity))
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}
