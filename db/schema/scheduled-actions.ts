import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import type { ActionKind, ActionPayload, ActionStatus } from "@/lib/billing/scheduled-action";
import { at, createdAt, merchantId } from "./columns";
import { merchants, testClocks } from "./merchants";

export type { ActionStatus };

/** Every future effect of a contract is a row here; runDueAction executes one. */
export const scheduledActions = pgTable(
  "scheduled_actions",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    subscriptionId: text("subscription_id"),
    paymentMethodId: text("payment_method_id"),
    invoiceId: text("invoice_id"),
    /** Actions of test-clock customers run only when their clock is advanced. */
    testClockId: text("test_clock_id").references(() => testClocks.id),
    kind: text("kind").$type<ActionKind>().notNull(),
    dueAt: at("due_at").notNull(),
    status: text("status").$type<ActionStatus>().notNull().default("pending"),
    idempotencyKey: text("idempotency_key").notNull(),
    payload: jsonb("payload").$type<ActionPayload>().notNull().default({}),
    /** A runner that claimed the action owns it until then; after a crash another runner takes over. */
    leaseUntil: at("lease_until"),
    runCount: integer("run_count").notNull().default(0),
    lastError: text("last_error"),
    outcome: text("outcome"),
    completedAt: at("completed_at"),
    /**
     * When the Inngest dispatcher last told Inngest about this row (null: changed since, or never sent). The row is
     * the outbox: scheduling or canceling an action sets it back to null in the same statement.
     */
    dispatchedAt: at("dispatched_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("scheduled_actions_idempotency").on(t.merchantId, t.idempotencyKey),
    index("scheduled_actions_due_idx").on(t.dueAt).where(sql`status = 'pending' and test_clock_id is null`),
    index("scheduled_actions_clock_idx").on(t.testClockId, t.dueAt).where(sql`status = 'pending' and test_clock_id is not null`),
    index("scheduled_actions_subscription_idx").on(t.subscriptionId),
    // A contract's earliest pending action (subscriptions.next_action_*), looked up whenever its schedule changes.
    index("scheduled_actions_next_idx").on(t.subscriptionId, t.dueAt, t.id).where(sql`status = 'pending'`),
    // Collection actions are looked up by their invoice on every settlement of a failed or paid invoice.
    index("scheduled_actions_invoice_idx").on(t.invoiceId).where(sql`invoice_id is not null`),
    // The dashboard's upcoming renewals of one merchant, 7 and 30 days ahead (lib/services/queries/dashboard.ts).
    index("scheduled_actions_renewal_idx").on(t.merchantId, t.dueAt, t.subscriptionId).where(sql`status = 'pending' and kind = 'renewal' and test_clock_id is null`),
    index("scheduled_actions_undispatched_idx").on(t.dueAt).where(sql`dispatched_at is null and status in ('pending', 'canceled')`),
  ],
);
