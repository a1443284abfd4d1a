import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { mails } from "@/db/schema";
import { enqueueMails } from "@/lib/mail/enqueue-mail";
import { createResendMailer } from "@/lib/mail/resend-mailer";
import { systemClock } from "@/lib/services/context";
import { openIsolatedTestDatabase } from "@/test/support/inngest";
import { setupTestMerchant } from "@/test/support/merchant";
import { TEST_LINKS } from "@/test/support/platform";
import { type ResendStandIn, startResendStandIn } from "@/test/support/resend-stand-in";
import { startMailDeliveryRunner } from "./mail-delivery-runner";

/** The embedded delivery loop against the official SDK and a local stand-in of Resend's API (the only stand-in). */
let database: Database;
let standIn: ResendStandIn;
beforeAll(async () => {
  database = await openIsolatedTestDatabase();
  standIn = await startResendStandIn({ rate: 50 });
});
afterAll(async () => {
  await standIn.close();
  await database.close();
});

describe("the mail delivery runner", () => {
  it("delivers what is queued, also mails queued while it runs, and stops", async () => {
    const m = await setupTestMerchant(database);
    const queue = (from: number, n: number) =>
      enqueueMails(
        database.db,
        Array.from({ length: n }, (_, k) => ({ merchantId: m.merchantId, template: "welcome" as const, to: `r${from + k}@example.jp`, locale: "ja" as const, variables: {}, idempotencyKey: `r${from + k}`, at: new Date() })),
      );
    await queue(0, 120);
    const errors: string[] = [];
    const runner = startMailDeliveryRunner({
      platform: { db: database.db, clock: systemClock, links: TEST_LINKS, mailer: createResendMailer({ apiKey: "re_test", baseUrl: standIn.url }) },
      batchSize: 25,
      leaseSeconds: 60,
      mailFrom: "mail@keizoku.test",
      intervalMs: 20,
      lanes: 2,
      onError: (e) => errors.push(e),
    });
    const sent = async () => (await database.db.select({ status: mails.status }).from(mails).where(eq(mails.merchantId, m.merchantId))).filter((r) => r.status === "sent").length;
    for (let i = 0; i < 500 && (await sent()) < 120; i++) await new Promise((r) => setTimeout(r, 20));
    await queue(120, 5);
    for (let i = 0; i < 500 && (await sent()) < 125; i++) await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    expect(errors).toEqual([]);
    expect(await sent()).toBe(125);
    expect(new Set(standIn.messages.map((x) => x.to)).size).toBe(125);
    expect(standIn.messages).toHaveLength(125);
  });
});
