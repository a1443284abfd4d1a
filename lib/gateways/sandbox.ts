import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, sql } from "drizzle-orm";
import { bulkInsert, inList } from "@/db/bulk-write";
import type { Db } from "@/db/client";
import { sandboxCards, sandboxCharges, sandboxRefunds, type SandboxBehavior } from "@/db/schema/sandbox";
import { isCardExpired } from "@/lib/billing/card-expiry";
import { newId } from "@/lib/ids";
import { CardAttachError, type AuthenticationStep, type ChargeRequest, type ChargeResult, type GatewayTestControls, type PaymentGateway, type RefundResult } from "./payment-gateway";
import { requiresAuthentication, validateSandboxCard, type SandboxCardBehavior, type SandboxCardInput } from "./sandbox-cards";
import { createTokenBucket, type TokenBucket } from "./sandbox-rate-limiter";

export { SANDBOX_TEST_CARDS, SandboxCardError, type SandboxCardInput } from "./sandbox-cards";
export type { SandboxBehavior } from "@/db/schema/sandbox";

/**
 * The built-in sandbox card processor: no network, its books in the sandbox_cards and sandbox_charges tables of
 * the same database, so that they survive a crash and can be reconciled against our invoices.
 */

export type SandboxGatewayOptions = {
  /** Added to every charge call (an async wait, so concurrent charges overlap). Default 0. */
  latencyMs?: number;
  /** Token-bucket rate limit on charge calls; callers wait for a token, none is rejected. Default: unlimited. */
  chargesPerSecond?: number;
  /** The bucket's capacity (calls that may pass at once after an idle spell). Default 1. */
  chargeBurst?: number;
};

/**
 * The sandbox's test controls: `createToken` is its card form (checks the card, returns a one-time token for
 * setupCard; throws SandboxCardError), `setCardBehavior` what a saved card does from now on (throws
 * SandboxRequestError card_not_found for an unknown card).
 */
export type SandboxTestControls = GatewayTestControls<SandboxBehavior> & {
  createToken(card: SandboxCardInput, now: Date): Promise<{ id: string }>;
};

/**
 * The sandbox's 3-D Secure challenge, for a card setup and for an off-session charge the issuer refused for
 * authentication alike: where a customer is sent, and what their answer does.
 */
export type SandboxAuthentication = {
  /** The challenge page of a card setup (`setupId` is the card's token) or of a charge (its id). */
  challengeUrl(setupId: string): string;
  /**
   * The customer's answer on the challenge page: a passed charge challenge makes that charge succeed (once); a failed
   * one leaves it waiting, to be tried again. False when there is no challenge pending for this setup or charge.
   */
  complete(setupId: string, outcome: "succeeded" | "failed"): Promise<boolean>;
};

export type SandboxGateway = PaymentGateway & {
  readonly name: "sandbox";
  readonly testControls: SandboxTestControls;
  readonly authentication: SandboxAuthentication;
  readonly authentications: NonNullable<PaymentGateway["authentications"]>;
};

/** Where the sandbox's challenge page is served (app/sandbox-gateway/challenge/[setupId]). */
export const SANDBOX_CHALLENGE_PATH = "/sandbox-gateway/challenge";

export type SandboxRequestErrorCode = "invalid_request" | "idempotency_key_reused" | "card_not_found";

/** A malformed call to the sandbox (a programming error, not a card outcome). */
export class SandboxRequestError extends Error {
  constructor(
    readonly code: SandboxRequestErrorCode,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = "SandboxRequestError";
  }
}

const FAILURE_MESSAGES: Record<string, string> = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  card_not_found: "No such card.",
  authentication_failed: "The customer did not pass 3-D Secure authentication.",
  authentication_required: "The card's issuer requires the customer to authenticate this payment.",
  expired_card: "Your card has expired.",
  lost_card: "Your card was reported lost.",
};

/** What a saved sandbox card can be told to do on its next charges. */
export const SANDBOX_BEHAVIORS = ["succeed", "decline", "insufficient_funds", "expired_card", "lost_card", "authentication_required"] as const satisfies readonly SandboxBehavior[];
const BEHAVIORS: readonly SandboxBehavior[] = SANDBOX_BEHAVIORS;

type ChargeRow = typeof sandboxCharges.$inferSelect;

function checkChargeRequest(request: ChargeRequest): LedgerRequest {
  const { cardRef, amount, idempotencyKey } = request;
  if (typeof idempotencyKey !== "string" || idempotencyKey.length === 0 || idempotencyKey.length > 255) {
    throw new SandboxRequestError("invalid_request", "idempotencyKey must be a string of 1 to 255 characters.", "idempotencyKey");
  }
  if (typeof cardRef !== "string" || cardRef.length === 0) throw new SandboxRequestError("invalid_request", "cardRef is required.", "cardRef");
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new SandboxRequestError("invalid_request", "amount must be a positive integer in minor units.", "amount");
  }
  if (typeof request.currency !== "string" || !/^[A-Za-z]{3}$/.test(request.currency)) {
    throw new SandboxRequestError("invalid_request", "currency must be a three-letter ISO 4217 code.", "currency");
  }
  if (!(request.at instanceof Date) || Number.isNaN(request.at.getTime())) throw new SandboxRequestError("invalid_request", "at must be a valid time.", "at");
  return { cardRef, amount, currency: request.currency.toUpperCase(), idempotencyKey, at: request.at };
}

function resultOf(row: ChargeRow): ChargeResult {
  if (row.outcome === "succeeded") return { status: "succeeded", chargeId: row.id };
  const failureCode = row.failureCode ?? "processing_error";
  return { status: "failed", chargeId: row.id, failureCode, message: FAILURE_MESSAGES[failureCode] ?? "The charge failed." };
}

type CardState = { behavior: SandboxCardBehavior; attached: boolean; expMonth: number; expYear: number };

/** What a charge at `at` (UTC month, as the card form counts) does to a card: an expired card is always refused. */
function outcomeOf(card: CardState | undefined, at: Date): { outcome: "succeeded" | "failed"; failureCode: string | null } {
  if (!card || !card.attached) return { outcome: "failed", failureCode: "card_not_found" };
  if (isCardExpired(card.expMonth, card.expYear, { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1 })) return { outcome: "failed", failureCode: "expired_card" };
  switch (card.behavior) {
    case "succeed":
      return { outcome: "succeeded", failureCode: null };
    case "insufficient_funds":
    case "expired_card":
    case "lost_card":
    case "authentication_required":
      return { outcome: "failed", failureCode: card.behavior };
    default:
      return { outcome: "failed", failureCode: "card_declined" };
  }
}

export function createSandboxGateway(db: Db, options: SandboxGatewayOptions = {}): SandboxGateway {
  const latencyMs = options.latencyMs ?? 0;
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new RangeError("latencyMs must be a non-negative number");
  const bucket: TokenBucket | null =
    options.chargesPerSecond === undefined ? null : createTokenBucket({ perSecond: options.chargesPerSecond, burst: options.chargeBurst });
  const ledger = createLedgerWriter(db);

  /** The stored result for a key; a key reused for a different charge is refused, as real gateways do. */
  function replay(row: ChargeRow, request: { cardRef: string; amount: number; currency: string; idempotencyKey: string }): ChargeResult {
    if (row.cardRef !== request.cardRef || row.amount !== request.amount || row.currency !== request.currency) {
      throw new SandboxRequestError(
        "idempotency_key_reused",
        `Idempotency key '${request.idempotencyKey}' was already used for a different charge (${row.amount} ${row.currency} on ${row.cardRef}).`,
        "idempotencyKey",
      );
    }
    return resultOf(row);
  }

  const testControls: SandboxTestControls = {
    behaviors: BEHAVIORS,
    async createToken(card, now) {
      const valid = validateSandboxCard(card, now);
      const token = newId("tok");
      await db.insert(sandboxCards).values({
        ref: newId("card"),
        token,
        brand: valid.brand,
        last4: valid.last4,
        expMonth: valid.expMonth,
        expYear: valid.expYear,
        // The column's type lists only charge behaviours; "decline_on_attach" cards never get attached.
        behavior: valid.behavior as SandboxBehavior,
        attached: false,
        authentication: requiresAuthentication(valid.number) ? "required" : "not_required",
      });
      return { id: token };
    },
    async setCardBehavior(cardRef, behavior) {
      if (!BEHAVIORS.includes(behavior)) {
        throw new SandboxRequestError("invalid_request", `behavior must be one of ${BEHAVIORS.join(", ")}.`, "behavior");
      }
      const updated = await db
        .update(sandboxCards)
        .set({ behavior })
        .where(and(eq(sandboxCards.ref, cardRef), eq(sandboxCards.attached, true)))
        .returning({ ref: sandboxCards.ref });
      if (updated.length === 0) throw new SandboxRequestError("card_not_found", `No such card: '${cardRef}'.`, "cardRef");
    },
  };

  /** A charge still waiting for the customer to authenticate it. */
  const awaitingAuthentication = and(eq(sandboxCharges.outcome, "failed"), eq(sandboxCharges.failureCode, "authentication_required"));

  const authentication: SandboxAuthentication = {
    challengeUrl: (setupId) => `${SANDBOX_CHALLENGE_PATH}/${encodeURIComponent(setupId)}`,
    async complete(setupId, outcome) {
      // A charge's challenge: passing it is one conditional update, so that the charge succeeds once however often it is answered.
      const [charge] = await db.select({ id: sandboxCharges.id }).from(sandboxCharges).where(and(eq(sandboxCharges.id, setupId), awaitingAuthentication));
      if (charge) {
        if (outcome === "succeeded") await db.update(sandboxCharges).set({ outcome: "succeeded", failureCode: null }).where(and(eq(sandboxCharges.id, charge.id), awaitingAuthentication));
        return true;
      }
      const updated = await db
        .update(sandboxCards)
        .set({ authentication: outcome })
        .where(and(eq(sandboxCards.token, setupId), eq(sandboxCards.authentication, "required"), eq(sandboxCards.attached, false)))
        .returning({ ref: sandboxCards.ref });
      return updated.length > 0;
    },
  };

  async function chargeRow(chargeId: string): Promise<ChargeRow | undefined> {
    if (typeof chargeId !== "string" || chargeId.length === 0) return undefined;
    const [row] = await db.select().from(sandboxCharges).where(eq(sandboxCharges.id, chargeId));
    return row;
  }
  const noSuchCharge = (chargeId: string): ChargeResult => ({ status: "failed", chargeId: null, failureCode: "charge_not_found", message: `No such charge: '${chargeId}'.` });

  return {
    name: "sandbox",
    testControls,
    authentication,
    authentications: {
      /** The sandbox's challenge page, in a frame of the asking page; the return URL is not needed. */
      async start({ chargeId }): Promise<AuthenticationStep | ChargeResult> {
        const row = await chargeRow(chargeId);
        if (!row) return noSuchCharge(chargeId);
        if (row.outcome === "failed" && row.failureCode === "authentication_required") return { status: "requires_action", actionUrl: authentication.challengeUrl(row.id), framed: true };
        return resultOf(row);
      },
      async confirm({ chargeId }) {
        const row = await chargeRow(chargeId);
        return row ? resultOf(row) : noSuchCharge(chargeId);
      },
    },
    async setupCard({ token }) {
      if (typeof token !== "string" || token.length === 0) throw new CardAttachError("token_not_found", "No such token.");
      const [card] = await db.select().from(sandboxCards).where(eq(sandboxCards.token, token)).limit(1);
      if (!card) throw new CardAttachError("token_not_found", `No such token: '${token}'.`);
      if ((card.behavior as SandboxCardBehavior) === "decline_on_attach") throw new CardAttachError("card_declined", FAILURE_MESSAGES.card_declined!);
      // The setup waits for the customer's answer on the challenge page; the token stays unused until then.
      if (card.authentication === "required") return { status: "requires_action", setupId: token, actionUrl: authentication.challengeUrl(token) };
      if (card.authentication === "failed") throw new CardAttachError("authentication_failed", FAILURE_MESSAGES.authentication_failed!);
      // Consuming the token is one conditional update, so that of two concurrent attaches only one wins.
      const [attached] = await db
        .update(sandboxCards)
        .set({ attached: true })
        .where(and(eq(sandboxCards.token, token), eq(sandboxCards.attached, false)))
        .returning();
      if (!attached) throw new CardAttachError("token_already_used", `Token '${token}' has already been used.`);
      return { status: "succeeded", card: { gatewayRef: attached.ref, brand: attached.brand, last4: attached.last4, expMonth: attached.expMonth, expYear: attached.expYear } };
    },
    async charge(input) {
      const request = checkChargeRequest(input);
      if (bucket) await bucket.take();
      if (latencyMs > 0) await sleep(latencyMs);
      const row = await ledger.record(request);
      return replay(row, request);
    },
    charges: {
      async find({ idempotencyKey }) {
        const [row] = await db.select().from(sandboxCharges).where(eq(sandboxCharges.idempotencyKey, idempotencyKey));
        return row ? resultOf(row) : { status: "not_found" };
      },
    },
    async refund(request): Promise<RefundResult> {
      if (typeof request.idempotencyKey !== "string" || request.idempotencyKey.length === 0) throw new SandboxRequestError("invalid_request", "idempotencyKey is required.", "idempotencyKey");
      if (!Number.isSafeInteger(request.amount) || request.amount <= 0) throw new SandboxRequestError("invalid_request", "amount must be a positive integer in minor units.", "amount");
      if (latencyMs > 0) await sleep(latencyMs);
      return db.transaction(async (tx) => {
        const [seen] = await tx.select().from(sandboxRefunds).where(eq(sandboxRefunds.idempotencyKey, request.idempotencyKey));
        if (seen) {
          if (seen.chargeId !== request.chargeId || seen.amount !== request.amount) {
            throw new SandboxRequestError("idempotency_key_reused", `Idempotency key '${request.idempotencyKey}' was already used for a different refund.`, "idempotencyKey");
          }
          return { status: "succeeded", refundId: seen.id };
        }
        // The charge's row is locked, so that two refunds of one charge cannot together give back more than it took.
        const [charge] = await tx.select().from(sandboxCharges).where(eq(sandboxCharges.id, request.chargeId)).for("update");
        if (!charge || charge.outcome !== "succeeded") return { status: "failed", failureCode: "charge_not_found", message: "No such successful charge." };
        if (charge.currency !== request.currency.toUpperCase()) return { status: "failed", failureCode: "currency_mismatch", message: "The refund's currency is not the charge's." };
        const [refunded] = await tx
          .select({ total: sql<string>`coalesce(sum(${sandboxRefunds.amount}), 0)` })
          .from(sandboxRefunds)
          .where(eq(sandboxRefunds.chargeId, charge.id));
        if (Number(refunded!.total) + request.amount > charge.amount) return { status: "failed", failureCode: "amount_too_large", message: "The refund exceeds what is left of the charge." };
        const id = newId("re");
        await tx.insert(sandboxRefunds).values({ id, idempotencyKey: request.idempotencyKey, chargeId: charge.id, amount: request.amount, currency: charge.currency });
        return { status: "succeeded", refundId: id };
      });
    },
  };
}

type LedgerRequest = { cardRef: string; amount: number; currency: string; idempotencyKey: string; at: Date };
type Waiting = { request: LedgerRequest; resolve: (row: ChargeRow) => void; reject: (error: unknown) => void };

/**
 * The ledger's writes, grouped: charges that arrive in the same turn of the event loop are booked with one read
 * of their cards and one multi-row insert, and each caller is answered once its row is committed. A bill run sends
 * a batch's charges at once, and a statement per charge was most of the sandbox's cost. A key seen before, or two
 * callers with one key at once (two runners on PostgreSQL), still has one row: the unique index lets one row in,
 * everyone else reads that row, so the key has one charge and one result.
 */
function createLedgerWriter(db: Db): { record(request: LedgerRequest): Promise<ChargeRow> } {
  let waiting: Waiting[] = [];
  let scheduled = false;

  async function book(group: Waiting[]): Promise<Map<string, ChargeRow>> {
    const refs = [...new Set(group.map((w) => w.request.cardRef))];
    const cards = await db
      .select({ ref: sandboxCards.ref, behavior: sandboxCards.behavior, attached: sandboxCards.attached, expMonth: sandboxCards.expMonth, expYear: sandboxCards.expYear })
      .from(sandboxCards)
      .where(inList(sandboxCards.ref, refs));
    const cardByRef = new Map(cards.map((card) => [card.ref, card]));
    // The first request for a key decides its row; later ones in the group replay it like any repeated key.
    const firstByKey = new Map<string, LedgerRequest>();
    for (const { request } of group) if (!firstByKey.has(request.idempotencyKey)) firstByKey.set(request.idempotencyKey, request);
    const rows = [...firstByKey.values()].map(({ at, ...request }) => ({ id: newId("ch"), ...request, ...outcomeOf(cardByRef.get(request.cardRef), at) }));
    const inserted = await bulkInsert(db, sandboxCharges, rows, { onConflict: sql`on conflict (idempotency_key) do nothing`, returning: ["id", "createdAt"] });
    // An inserted row is what was sent plus its created_at; a key seen before is read back as it was first booked.
    const createdAt = new Map(inserted.map((row) => [row.id, row.createdAt]));
    const byKey = new Map(rows.filter((row) => createdAt.has(row.id)).map((row): [string, ChargeRow] => [row.idempotencyKey, { ...row, createdAt: createdAt.get(row.id)! }]));
    const seenBefore = [...firstByKey.keys()].filter((key) => !byKey.has(key));
    if (seenBefore.length > 0) {
      for (const row of await db.select().from(sandboxCharges).where(inList(sandboxCharges.idempotencyKey, seenBefore))) byKey.set(row.idempotencyKey, row);
    }
    return byKey;
  }

  async function flush(): Promise<void> {
    scheduled = false;
    const group = waiting;
    waiting = [];
    try {
      const byKey = await book(group);
      for (const { request, resolve, reject } of group) {
        const row = byKey.get(request.idempotencyKey);
        if (row) resolve(row);
        else reject(new Error(`sandbox: charge for idempotency key '${request.idempotencyKey}' vanished`));
      }
    } catch (error) {
      for (const { reject } of group) reject(error);
    }
  }

  return {
    record(request) {
      return new Promise<ChargeRow>((resolve, reject) => {
        waiting.push({ request, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}

/** The sandbox gateway behind the port, when that is what a deployment uses (its card form and challenge page). */
export function asSandbox(gateway: PaymentGateway): SandboxGateway | null {
  return gateway.name === "sandbox" && "authentication" in gateway && gateway.testControls ? (gateway as SandboxGateway) : null;
}
