import { boolean, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, money } from "./columns";

/** `authentication_required`: every off-session charge waits for the customer to pass the challenge page. */
export type SandboxBehavior = "succeed" | "decline" | "insufficient_funds" | "expired_card" | "lost_card" | "authentication_required";

/**
 * The sandbox card processor's own books. They stand for the gateway's side of the world: kept in the same
 * database so that they survive a crash of the runner and can be reconciled against our invoices.
 */
export const sandboxCards = pgTable("sandbox_cards", {
  /** The saved card's id at the gateway (what a payment method keeps as gatewayRef). */
  ref: text("ref").primaryKey(),
  /** The one-time token the card form returned; attaching consumes it. */
  token: text("token").notNull().unique(),
  brand: text("brand").notNull(),
  last4: text("last4").notNull(),
  expMonth: integer("exp_month").notNull(),
  expYear: integer("exp_year").notNull(),
  behavior: text("behavior").$type<SandboxBehavior | "decline_on_attach">().notNull(),
  attached: boolean("attached").notNull().default(false),
  /**
   * 3-D Secure at the card's setup: `required` until the customer passes (`succeeded`) or fails (`failed`) the
   * sandbox's challenge page; `not_required` for cards whose issuer asks for none.
   */
  authentication: text("authentication").$type<"not_required" | "required" | "succeeded" | "failed">().notNull().default("not_required"),
  createdAt: createdAt(),
});

export const sandboxCharges = pgTable(
  "sandbox_charges",
  {
    id: text("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull(),
    cardRef: text("card_ref").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    outcome: text("outcome").$type<"succeeded" | "failed">().notNull(),
    failureCode: text("failure_code"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sandbox_charges_idempotency").on(t.idempotencyKey)],
);

/** Refunds the sandbox processor made: one per idempotency key, never more than a charge's amount in all. */
export const sandboxRefunds = pgTable(
  "sandbox_refunds",
  {
    id: text("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull(),
    chargeId: text("charge_id").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sandbox_refunds_idempotency").on(t.idempotencyKey)],
);
