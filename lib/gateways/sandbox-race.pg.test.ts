import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { sandboxCharges } from "@/db/schema/sandbox";
import { openTestDatabase } from "@/test/support/database";
import { newId } from "@/lib/ids";
import { createSandboxGateway, type SandboxGateway } from "./sandbox";

/** Saves a card the way a gateway's setup does, for a card that needs no authentication. */
async function attachCard(gw: SandboxGateway, input: { token: string; customerId: string }) {
  const setup = await gw.setupCard(input);
  if (setup.status !== "succeeded") throw new Error("this sandbox card asks for authentication");
  return setup.card;
}


/** Two connection pools stand for two runner processes; this needs a database server (PostgreSQL pass only). */
describe("sandbox charges raced from two processes", () => {
  let database: Database;
  let other: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
    other = await openDatabase({ url: process.env.DATABASE_URL, max: 10 });
  });
  afterAll(async () => {
    await other?.close();
    await database?.close();
  });

  it("makes one charge when two processes race on one key", async () => {
    const gateway = createSandboxGateway(database.db);
    const otherGateway = createSandboxGateway(other.db);
    const now = new Date("2026-05-15T03:00:00Z");
    for (let round = 0; round < 5; round++) {
      const token = await gateway.testControls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" }, now);
      const card = await attachCard(gateway, { token: token.id, customerId: newId("cus") });
      const request = { cardRef: card.gatewayRef, amount: 1000, currency: "JPY", idempotencyKey: `race-${newId("ch")}`, at: now };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? otherGateway : gateway).charge(request)));
      const rows = await database.db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, request.idempotencyKey));
      expect(rows).toHaveLength(1);
      expect(new Set(results.map((r) => r.chargeId))).toEqual(new Set([rows[0]!.id]));
    }
  });
});
