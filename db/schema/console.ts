import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, merchantId } from "./columns";
import { merchants, staffUsers } from "./merchants";
import { subscriptions } from "./subscriptions";

/**
 * Failed staff sign-ins, per email and per client address (`key` is "email:<address>" or "ip:<address>"): the
 * backoff and the temporary lock of lib/auth/sign-in-throttle.ts. A success clears the email's row.
 */
export const signInThrottles = pgTable("sign_in_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  firstFailedAt: at("first_failed_at").notNull(),
  lastFailedAt: at("last_failed_at").notNull(),
  lockedUntil: at("locked_until"),
});

/** A named search of the contracts workspace (保存した検索条件), shared by the merchant's team. */
export const savedSearches = pgTable(
  "saved_searches",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    name: text("name").notNull(),
    /** The workspace's search (filters and sort) as its parser reads it from the URL. */
    search: jsonb("search").$type<Record<string, unknown>>().notNull(),
    createdBy: text("created_by").references(() => staffUsers.id),
    createdAt: createdAt(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("saved_searches_name_key").on(t.merchantId, t.name)],
);

export type BulkJobKind = "retry" | "cancel";
export type BulkJobStatus = "running" | "done";
export type BulkJobItemStatus = "pending" | "done" | "skipped" | "failed";

/**
 * Work over many contracts at once (bulk retry, bulk cancel): one row per job and one item per contract, so that a
 * job survives a crash (the runner takes it up again when its lease lapses) and no contract is done twice.
 */
export const bulkJobs = pgTable(
  "bulk_jobs",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    kind: text("kind").$type<BulkJobKind>().notNull(),
    status: text("status").$type<BulkJobStatus>().notNull(),
    /** What each item does: retry { at: ISO instant | null } or cancel { when, reason }. */
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    /** How the contracts were chosen (ids, or the search whose matches were taken when the job started). */
    selection: jsonb("selection").$type<Record<string, unknown>>().notNull(),
    total: integer("total").notNull(),
    done: integer("done").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    /** The job whose failed items this one tries again. */
    retryOf: text("retry_of"),
    createdBy: text("created_by").references(() => staffUsers.id),
    /** Held by the process working on it; a lapsed lease lets another take over. */
    leaseUntil: at("lease_until"),
    createdAt: createdAt(),
    finishedAt: at("finished_at"),
  },
  (t) => [index("bulk_jobs_merchant_idx").on(t.merchantId, t.createdAt), index("bulk_jobs_status_idx").on(t.status, t.leaseUntil)],
);

export const bulkJobItems = pgTable(
  "bulk_job_items",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => bulkJobs.id),
    subscriptionId: text("subscription_id")
      .notNull()
      .references(() => subscriptions.id),
    /** Order of work (the order the contracts were selected in). */
    position: integer("position").notNull(),
    status: text("status").$type<BulkJobItemStatus>().notNull(),
    /** Why it was skipped or failed: a machine-readable reason the page translates. */
    reason: text("reason"),
    message: text("message"),
    completedAt: at("completed_at"),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.subscriptionId] }), index("bulk_job_items_work_idx").on(t.jobId, t.status, t.position)],
);
