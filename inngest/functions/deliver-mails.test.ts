import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { mails } from "@/db/schema";
import { enqueueMails } from "@/lib/mail/enqueue-mail";
import { createResendMailer } from "@/lib/mail/resend-mailer";
import { openIsolatedTestDatabase } from "@/test/support/inngest";
import { setupTestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { type ResendStandIn, startResendStandIn } from "@/test/support/resend-stand-in";
import { createDeliverMails } from "./deliver-mails";

/** The Inngest worker delivers through the official SDK to a local stand-in of Resend's API (the only stand-in). */
let database: Database;
let standIn: ResendStandIn;
beforeAll(async () => {
  database = await openIsolatedTestDatabase();
  standIn = await startResendStandIn();
});
afterAll(async () => {
  await standIn.close();
  await database.close();
});

describe("deliver-mails", () => {
  it("on its minute (or keizoku/mail.queued) delivers due mails in passes until one comes back short", async () => {
    const m = await setupTestMerchant(database);
    const now = new Date();
    await enqueueMails(
      database.db,
      Array.from({ length: 250 }, (_, i) => ({ merchantId: m.merchantId, template: "welcome" as const, to: `m${i}@example.jp`, locale: "ja" as const, variables: {}, idempotencyKey: `w${i}`, at: now })),
    );
    const mailer = createResendMailer({ apiKey: "re_test", baseUrl: standIn.url });
    const fn = createDeliverMails(async () => ({ ...testPlatform(database.db), mailer }));
    const run = await new InngestTestEngine({ function: fn }).execute({ events: [{ name: "keizoku/mail.queued", data: {} }] });
    expect(run.result).toEqual({ passes: 2, sent: 250 });
    expect(run.ctx.step.run.mock.calls.map((c) => c[0])).toEqual(["deliver-0", "deliver-1"]);
    const rows = await database.db.select({ status: mails.status }).from(mails).where(eq(mails.merchantId, m.merchantId));
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(250);
    expect(standIn.messages).toHaveLength(250);
  });
});
