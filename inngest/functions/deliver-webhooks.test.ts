import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { createCustomer } from "@/lib/services/create-customer";
import { createWebhookEndpoint } from "@/lib/services/webhook-endpoints";
import { openIsolatedTestDatabase } from "@/test/support/inngest";
import { setupTestMerchant } from "@/test/support/merchant";
import { testPlatform } from "@/test/support/platform";
import { createDeliverWebhooks } from "./deliver-webhooks";

let database: Database;
let receiver: Server;
let url: string;
const bodies: string[] = [];
beforeAll(async () => {
  database = await openIsolatedTestDatabase();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      bodies.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  receiver.close();
  await database.close();
});

describe("deliver-webhooks", () => {
  it("on its minute delivers the due webhooks in a step", async () => {
    const m = await setupTestMerchant(database);
    await createWebhookEndpoint(m.ctx(), { url, enabledEvents: ["customer.created"] }, { policy: { allowLoopback: true }, lookup: async () => [] });
    await createCustomer(m.ctx(), { email: "cron-hook@example.jp", name: "定期 送信" });
    const fn = createDeliverWebhooks(async () => testPlatform(database.db));
    const run = await new InngestTestEngine({ function: fn }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }] });
    expect(run.result).toEqual({ passes: 1, delivered: 1 });
    expect(run.ctx.step.run.mock.calls.map((c) => c[0])).toEqual(["deliver-0"]);
    expect(bodies.map((b) => JSON.parse(b).type)).toEqual(["customer.created"]);
    const rows = await database.db.select({ status: webhookDeliveries.status }).from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, m.merchantId));
    expect(rows).toEqual([{ status: "delivered" }]);
  });
});
