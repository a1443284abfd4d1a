import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sandboxCards, sandboxCharges } from "@/db/schema/sandbox";
import { openTestDatabase } from "@/test/support/database";
import { newId } from "@/lib/ids";
import { CardAttachError, type ChargeResult } from "./payment-gateway";
import { createSandboxGateway, SANDBOX_TEST_CARDS, SandboxCardError, SandboxRequestError, type SandboxGateway } from "./sandbox";

/** Saves a card the way a gateway's setup does, for a card that needs no authentication. */
async function attachCard(gw: SandboxGateway, input: { token: string; customerId: string }) {
  const setup = await gw.setupCard(input);
  if (setup.status !== "succeeded") throw new Error("this sandbox card asks for authentication");
  return setup.card;
}


const now = new Date("2026-05-15T03:00:00Z");
let database: Database;
let gateway: SandboxGateway;

beforeAll(async () => {
  database = await openTestDatabase();
  gateway = createSandboxGateway(database.db);
});

afterAll(async () => {
  await database?.close();
});

async function tokenFor(number: string, gw: SandboxGateway = gateway): Promise<string> {
  return (await gw.testControls.createToken({ number, expMonth: 12, expYear: 2030, cvc: "123" }, now)).id;
}

async function savedCard(number: string = SANDBOX_TEST_CARDS.succeed, gw: SandboxGateway = gateway) {
  return attachCard(gw, { token: await tokenFor(number, gw), customerId: newId("cus") });
}

const key = () => `test_${newId("pa")}`;

async function chargeRows(idempotencyKey: string) {
  return database.db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, idempotencyKey));
}

async function attachError(promise: Promise<unknown>): Promise<CardAttachError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CardAttachError);
  return error as CardAttachError;
}

describe("tokenization and attach", () => {
  it("tokenizes a card and attaches it once, storing no card number", async () => {
    const token = await tokenFor("4242 4242 4242 4242");
    expect(token).toMatch(/^tok_[0-9a-f]{32}$/);
    const card = await attachCard(gateway, { token, customerId: newId("cus") });
    expect(card).toEqual({ gatewayRef: expect.stringMatching(/^card_[0-9a-f]{32}$/), brand: "visa", last4: "4242", expMonth: 12, expYear: 2030 });

    const [row] = await database.db.select().from(sandboxCards).where(eq(sandboxCards.ref, card.gatewayRef));
    expect(row).toMatchObject({ token, attached: true, behavior: "succeed", last4: "4242" });
    expect(JSON.stringify(row)).not.toContain("4242424242424242");
  });

  it("refuses a token attached twice", async () => {
    const token = await tokenFor(SANDBOX_TEST_CARDS.succeed);
    await attachCard(gateway, { token, customerId: newId("cus") });
    const error = await attachError(attachCard(gateway, { token, customerId: newId("cus") }));
    expect(error.declineCode).toBe("token_already_used");
  });

  it("lets exactly one of several concurrent attaches of one token win", async () => {
    const token = await tokenFor(SANDBOX_TEST_CARDS.succeed);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => attachCard(gateway, { token, customerId: newId("cus") })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(7);
    for (const r of refused) expect((r.reason as CardAttachError).declineCode).toBe("token_already_used");
  });

  it("refuses an unknown token", async () => {
    expect((await attachError(attachCard(gateway, { token: "tok_nope", customerId: newId("cus") }))).declineCode).toBe("token_not_found");
    expect((await attachError(attachCard(gateway, { token: "", customerId: newId("cus") }))).declineCode).toBe("token_not_found");
  });

  it("declines 4000 0000 0000 0002 at attach, every time", async () => {
    const token = await tokenFor(SANDBOX_TEST_CARDS.declineOnAttach);
    for (let i = 0; i < 2; i++) {
      const error = await attachError(attachCard(gateway, { token, customerId: newId("cus") }));
      expect(error.declineCode).toBe("card_declined");
      expect(error.message).toBe("Your card was declined.");
    }
    // Never attached, so its card cannot be charged or switched.
    const [row] = await database.db.select().from(sandboxCards).where(eq(sandboxCards.token, token));
    expect(row?.attached).toBe(false);
    const result = await gateway.charge({ cardRef: row!.ref, amount: 1000, currency: "JPY", idempotencyKey: key(), at: now });
    expect(result).toMatchObject({ status: "failed", failureCode: "card_not_found" });
    await expect(gateway.testControls.setCardBehavior(row!.ref, "succeed")).rejects.toBeInstanceOf(SandboxRequestError);
  });

  it("rejects bad card input with a SandboxCardError naming the field, and stores nothing", async () => {
    const [before] = await database.db.select({ n: count() }).from(sandboxCards);
    const cases: [Record<string, unknown>, string][] = [
      [{ number: "4242 4242 4242 424x" }, "number"],
      [{ number: "4242424242424241" }, "number"],
      [{ number: "42424242428" }, "number"],
      [{ expMonth: 13 }, "expMonth"],
      [{ expYear: 26 }, "expYear"],
      [{ expMonth: 4, expYear: 2026 }, "expYear"],
      [{ cvc: "12" }, "cvc"],
    ];
    for (const [input, param] of cases) {
      const attempt = gateway.testControls.createToken({ number: SANDBOX_TEST_CARDS.succeed, expMonth: 12, expYear: 2030, cvc: "123", ...input } as never, now);
      const error = await attempt.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(input)).toBeInstanceOf(SandboxCardError);
      expect((error as SandboxCardError).param).toBe(param);
    }
    const [after] = await database.db.select({ n: count() }).from(sandboxCards);
    expect(after?.n).toBe(before?.n);
  });

  it("takes the expiry check from the given clock", async () => {
    const card = { number: SANDBOX_TEST_CARDS.succeed, expMonth: 5, expYear: 2026, cvc: "123" };
    await expect(gateway.testControls.createToken(card, new Date("2026-05-31T23:00:00Z"))).resolves.toMatchObject({ id: expect.stringMatching(/^tok_/) });
    await expect(gateway.testControls.createToken(card, new Date("2026-06-01T00:00:00Z"))).rejects.toThrow(/expired/);
  });

  it("derives the brand of other valid numbers", async () => {
    expect((await savedCard("5555 5555 5555 4444")).brand).toBe("mastercard");
    expect((await savedCard("2223 0031 2200 3222")).brand).toBe("mastercard");
    expect((await savedCard("3782 822463 10005")).brand).toBe("amex");
    expect((await savedCard("3566 0020 2036 0505")).brand).toBe("jcb");
    expect((await savedCard("6011 1111 1111 1117")).brand).toBe("unknown");
  });
});

describe("charges", () => {
  it("charges 4242 successfully and books it", async () => {
    const card = await savedCard(SANDBOX_TEST_CARDS.succeed);
    const idempotencyKey = key();
    const result = await gateway.charge({ cardRef: card.gatewayRef, amount: 3300, currency: "JPY", idempotencyKey, at: now });
    expect(result).toEqual({ status: "succeeded", chargeId: expect.stringMatching(/^ch_[0-9a-f]{32}$/) });
    const rows = await chargeRows(idempotencyKey);
    expect(rows).toEqual([
      expect.objectContaining({ id: result.chargeId, cardRef: card.gatewayRef, amount: 3300, currency: "JPY", outcome: "succeeded", failureCode: null }),
    ]);
  });

  it("declines every charge on 4000 0000 0000 0341", async () => {
    const card = await savedCard(SANDBOX_TEST_CARDS.decline);
    for (let i = 0; i < 2; i++) {
      const idempotencyKey = key();
      const result = await gateway.charge({ cardRef: card.gatewayRef, amount: 1000, currency: "JPY", idempotencyKey, at: now });
      expect(result).toEqual({ status: "failed", chargeId: expect.stringMatching(/^ch_/), failureCode: "card_declined", message: "Your card was declined." });
      expect(await chargeRows(idempotencyKey)).toEqual([expect.objectContaining({ outcome: "failed", failureCode: "card_declined" })]);
    }
  });

  it("fails charges on 4000 0000 0000 9995 with insufficient_funds", async () => {
    const card = await savedCard(SANDBOX_TEST_CARDS.insufficientFunds);
    const idempotencyKey = key();
    const result = await gateway.charge({ cardRef: card.gatewayRef, amount: 1000, currency: "JPY", idempotencyKey, at: now });
    expect(result).toMatchObject({ status: "failed", failureCode: "insufficient_funds", message: "Your card has insufficient funds." });
    expect(await chargeRows(idempotencyKey)).toEqual([expect.objectContaining({ outcome: "failed", failureCode: "insufficient_funds" })]);
  });

  it("treats any other valid number like 4242", async () => {
    const card = await savedCard("5555555555554444");
    expect(await gateway.charge({ cardRef: card.gatewayRef, amount: 500, currency: "USD", idempotencyKey: key(), at: now })).toMatchObject({ status: "succeeded" });
  });

  it("fails a charge on an unknown card with card_not_found", async () => {
    const idempotencyKey = key();
    const result = await gateway.charge({ cardRef: "card_unknown", amount: 1000, currency: "JPY", idempotencyKey, at: now });
    expect(result).toMatchObject({ status: "failed", failureCode: "card_not_found" });
    // Booked like any other failed charge, so that the key keeps its result.
    expect(await chargeRows(idempotencyKey)).toHaveLength(1);
  });

  it("returns the stored result for a key charged again, without a second charge", async () => {
    const card = await savedCard();
    const request = { cardRef: card.gatewayRef, amount: 1200, currency: "JPY", idempotencyKey: key(), at: now };
    const first = await gateway.charge(request);
    const second = await gateway.charge(request);
    expect(second).toEqual(first);
    expect(await chargeRows(request.idempotencyKey)).toHaveLength(1);
    // A new key is a new charge.
    const third = await gateway.charge({ ...request, idempotencyKey: key() });
    expect(third.chargeId).not.toBe(first.chargeId);
  });

  it("keeps a failed result for its key even after the card is fixed", async () => {
    const card = await savedCard(SANDBOX_TEST_CARDS.decline);
    const request = { cardRef: card.gatewayRef, amount: 1200, currency: "JPY", idempotencyKey: key(), at: now };
    const failed = await gateway.charge(request);
    expect(failed.status).toBe("failed");
    await gateway.testControls.setCardBehavior(card.gatewayRef, "succeed");
    expect(await gateway.charge(request)).toEqual(failed);
    expect(await gateway.charge({ ...request, idempotencyKey: key() })).toMatchObject({ status: "succeeded" });
  });

  it("makes one charge for 20 concurrent calls with one key", async () => {
    const card = await savedCard();
    const request = { cardRef: card.gatewayRef, amount: 9800, currency: "JPY", idempotencyKey: key(), at: now };
    const results = await Promise.all(Array.from({ length: 20 }, () => gateway.charge(request)));
    const rows = await chargeRows(request.idempotencyKey);
    expect(rows).toHaveLength(1);
    expect(results.every((r) => r.status === "succeeded" && r.chargeId === rows[0]!.id)).toBe(true);
  });

  it("refuses a key reused for a different charge", async () => {
    const card = await savedCard();
    const otherCard = await savedCard();
    const request = { cardRef: card.gatewayRef, amount: 1000, currency: "JPY", idempotencyKey: key(), at: now };
    await gateway.charge(request);
    for (const changed of [{ amount: 1001 }, { currency: "USD" }, { cardRef: otherCard.gatewayRef }]) {
      const error = await gateway.charge({ ...request, ...changed }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SandboxRequestError);
      expect((error as SandboxRequestError).code).toBe("idempotency_key_reused");
    }
    expect(await chargeRows(request.idempotencyKey)).toHaveLength(1);
    // The currency's case does not make it a different charge.
    expect(await gateway.charge({ ...request, currency: "jpy" })).toMatchObject({ status: "succeeded" });
  });

  it("rejects malformed charge requests without booking anything", async () => {
    const card = await savedCard();
    const base = { cardRef: card.gatewayRef, amount: 1000, currency: "JPY", idempotencyKey: key(), at: now };
    for (const [changed, param] of [
      [{ amount: 0 }, "amount"],
      [{ amount: -5 }, "amount"],
      [{ amount: 10.5 }, "amount"],
      [{ currency: "yen!" }, "currency"],
      [{ idempotencyKey: "" }, "idempotencyKey"],
      [{ cardRef: "" }, "cardRef"],
    ] as const) {
      const error = await gateway.charge({ ...base, ...changed }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SandboxRequestError);
      expect(error).toMatchObject({ code: "invalid_request", param });
    }
    expect(await chargeRows(base.idempotencyKey)).toHaveLength(0);
  });
});

describe("setCardBehavior", () => {
  it("switches what a saved card does from the next charge on", async () => {
    const card = await savedCard();
    const charge = () => gateway.charge({ cardRef: card.gatewayRef, amount: 1000, currency: "JPY", idempotencyKey: key(), at: now });
    const outcome = (r: ChargeResult) => (r.status === "succeeded" ? "succeeded" : r.failureCode);
    expect(outcome(await charge())).toBe("succeeded");
    await gateway.testControls.setCardBehavior(card.gatewayRef, "decline");
    expect(outcome(await charge())).toBe("card_declined");
    await gateway.testControls.setCardBehavior(card.gatewayRef, "insufficient_funds");
    expect(outcome(await charge())).toBe("insufficient_funds");
    await gateway.testControls.setCardBehavior(card.gatewayRef, "succeed");
    expect(outcome(await charge())).toBe("succeeded");
  });

  it("refuses an unknown card or behaviour", async () => {
    await expect(gateway.testControls.setCardBehavior("card_unknown", "decline")).rejects.toMatchObject({ name: "SandboxRequestError", code: "card_not_found" });
    const card = await savedCard();
    await expect(gateway.testControls.setCardBehavior(card.gatewayRef, "explode" as never)).rejects.toMatchObject({ code: "invalid_request", param: "behavior" });
  });
});

describe("latency and rate limit", () => {
  it("adds the latency to each charge, concurrently", async () => {
    const slow = createSandboxGateway(database.db, { latencyMs: 150 });
    const card = await savedCard();
    const one = performance.now();
    await slow.charge({ cardRef: card.gatewayRef, amount: 100, currency: "JPY", idempotencyKey: key(), at: now });
    expect(performance.now() - one).toBeGreaterThanOrEqual(145);

    // Ten at once overlap: far less than ten latencies end to end.
    const ten = performance.now();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => slow.charge({ cardRef: card.gatewayRef, amount: 100, currency: "JPY", idempotencyKey: key(), at: now })),
    );
    const elapsed = performance.now() - ten;
    expect(results.every((r) => r.status === "succeeded")).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(10 * 150);
  });

  it("makes charges wait for the rate limit rather than refusing them", async () => {
    const limited = createSandboxGateway(database.db, { chargesPerSecond: 50 });
    const card = await savedCard();
    const keys = Array.from({ length: 30 }, key);
    const start = performance.now();
    const finished: number[] = [];
    const results = await Promise.all(
      keys.map(async (idempotencyKey) => {
        const result = await limited.charge({ cardRef: card.gatewayRef, amount: 100, currency: "JPY", idempotencyKey, at: now });
        finished.push(performance.now() - start);
        return result;
      }),
    );
    expect(results.every((r) => r.status === "succeeded")).toBe(true);
    const rows = await database.db.select().from(sandboxCharges).where(inArray(sandboxCharges.idempotencyKey, keys));
    expect(rows).toHaveLength(30);
    // At 50/s the k-th charge cannot finish before k × 20 ms (1 ms allowance for timer rounding).
    finished.sort((a, b) => a - b);
    finished.forEach((t, k) => expect(t).toBeGreaterThanOrEqual(k * 20 - 1));
    expect(finished[29]).toBeGreaterThanOrEqual(400);
  });

  it("runs at the limit, not at the latency: 1 s latency, 100/s, 200 concurrent charges", async () => {
    const bench = createSandboxGateway(database.db, { latencyMs: 1000, chargesPerSecond: 100 });
    const card = await savedCard();
    const start = performance.now();
    const finished: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const result = await bench.charge({ cardRef: card.gatewayRef, amount: 100, currency: "JPY", idempotencyKey: key(), at: now });
        finished.push(performance.now() - start);
        return result;
      }),
    );
    expect(results.every((r) => r.status === "succeeded")).toBe(true);
    finished.sort((a, b) => a - b);
    // Steady state, from the first charge out of its latency to the last: about 100/s; ≥ 90/s exactly on the
    // limiter's own clock (sandbox-rate-limiter.test.ts). Here only a loose bound, so that a loaded machine
    // cannot fail it: latencies overlap instead of adding up (serialized, this would be 1 charge/s).
    const rate = (finished.length - 1) / ((finished[finished.length - 1]! - finished[0]!) / 1000);
    expect(rate).toBeGreaterThanOrEqual(50);
    // And never faster than the limit: the 200th token is issued 1.99 s in, then 1 s of latency.
    expect(finished[199]).toBeGreaterThanOrEqual(2990 - 5);
  });

  it("refuses nonsense options", () => {
    expect(() => createSandboxGateway(database.db, { latencyMs: -1 })).toThrow(RangeError);
    expect(() => createSandboxGateway(database.db, { chargesPerSecond: 0 })).toThrow(RangeError);
  });
});

describe("a charge the issuer refuses for authentication", () => {
  it("fails as authentication_required; the challenge page passes it once, the same charge succeeds, and nothing is charged again", async () => {
    const card = await savedCard(SANDBOX_TEST_CARDS.authenticationOnCharge);
    const idempotencyKey = key();
    const declined = await gateway.charge({ cardRef: card.gatewayRef, amount: 3000, currency: "jpy", idempotencyKey, at: now });
    expect(declined).toMatchObject({ status: "failed", failureCode: "authentication_required", chargeId: expect.stringMatching(/^ch_/) });
    const chargeId = (declined as { chargeId: string }).chargeId;

    const step = await gateway.authentications.start({ chargeId, returnUrl: "http://localhost/pay/x" });
    expect(step).toEqual({ status: "requires_action", actionUrl: `/sandbox-gateway/challenge/${chargeId}`, framed: true });
    expect(await gateway.authentications.confirm({ chargeId })).toMatchObject({ status: "failed", failureCode: "authentication_required" });

    // A failed challenge leaves the charge waiting: the customer may try again.
    expect(await gateway.authentication.complete(chargeId, "failed")).toBe(true);
    expect(await gateway.authentications.confirm({ chargeId })).toMatchObject({ status: "failed", failureCode: "authentication_required" });

    expect(await gateway.authentication.complete(chargeId, "succeeded")).toBe(true);
    expect(await gateway.authentications.confirm({ chargeId })).toEqual({ status: "succeeded", chargeId });
    expect(await gateway.authentications.start({ chargeId, returnUrl: "http://localhost/pay/x" })).toEqual({ status: "succeeded", chargeId });
    // Answered again: no challenge is pending any more, the one charge stays the one charge.
    expect(await gateway.authentication.complete(chargeId, "succeeded")).toBe(false);
    expect(await chargeRows(idempotencyKey)).toEqual([expect.objectContaining({ id: chargeId, outcome: "succeeded", failureCode: null, amount: 3000 })]);
    // The same key replays the (now successful) charge rather than making another.
    expect(await gateway.charge({ cardRef: card.gatewayRef, amount: 3000, currency: "jpy", idempotencyKey, at: now })).toEqual({ status: "succeeded", chargeId });
  });

  it("has no challenge for a charge that did not ask for one, nor for an unknown charge", async () => {
    const card = await savedCard(SANDBOX_TEST_CARDS.insufficientFunds);
    const declined = await gateway.charge({ cardRef: card.gatewayRef, amount: 500, currency: "jpy", idempotencyKey: key(), at: now });
    const chargeId = (declined as { chargeId: string }).chargeId;
    expect(await gateway.authentications.start({ chargeId, returnUrl: "http://localhost/" })).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
    expect(await gateway.authentication.complete(chargeId, "succeeded")).toBe(false);
    expect(await gateway.authentications.confirm({ chargeId })).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
    expect(await gateway.authentications.confirm({ chargeId: "ch_nope" })).toMatchObject({ status: "failed", failureCode: "charge_not_found" });
  });

  it("a saved card can be told to ask for authentication on its next charges", async () => {
    const card = await savedCard();
    await gateway.testControls.setCardBehavior(card.gatewayRef, "authentication_required");
    expect(await gateway.charge({ cardRef: card.gatewayRef, amount: 100, currency: "jpy", idempotencyKey: key(), at: now })).toMatchObject({ status: "failed", failureCode: "authentication_required" });
  });
});
