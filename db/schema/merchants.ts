import { boolean, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { BillingSettings } from "@/lib/billing/billing-settings";
import type { StaffRole } from "@/lib/auth/roles";
import type { MailSettings } from "@/lib/mail/mail-settings";
import type { MypagePolicy } from "@/lib/mypage/policy";
import { at, createdAt, merchantId } from "./columns";

export const merchants = pgTable("merchants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull(),
  timeZone: text("time_zone").notNull().default("Asia/Tokyo"),
  currency: text("currency").notNull().default("jpy"),
  billingSettings: jsonb("billing_settings").$type<BillingSettings>().notNull(),
  senderName: text("sender_name"),
  mailFooter: text("mail_footer"),
  /** 適格請求書発行事業者登録番号 ("T" + 13 digits), printed on receipts when set. */
  invoiceRegistrationNumber: text("invoice_registration_number"),
  /** Where customers' replies to mails go (the merchant's own address); none = the sender address. */
  mailReplyTo: text("mail_reply_to"),
  /** Per-event mail switches and texts; products override them (products.mail_settings). */
  mailSettings: jsonb("mail_settings").$type<MailSettings>().notNull().default({}),
  /** The merchant's 特定商取引法に基づく表記 page, linked from every checkout page. */
  tokushohoUrl: text("tokushoho_url"),
  /** What end users may do themselves on the mypage (lib/mypage/policy.ts). */
  mypagePolicy: jsonb("mypage_policy").$type<MypagePolicy>().notNull().default({ cancel: "period_end", pause: false }),
  createdAt: createdAt(),
});

export const staffUsers = pgTable(
  "staff_users",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<StaffRole>().notNull(),
    /** The console's language for this staff member (ja first, en second). */
    locale: text("locale").$type<"ja" | "en">().notNull().default("ja"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("staff_users_email_key").on(t.email)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    /** First characters of the key, shown in the console so a merchant can tell keys apart. */
    displayPrefix: text("display_prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    name: text("name"),
    createdAt: createdAt(),
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.keyHash), index("api_keys_merchant_idx").on(t.merchantId)],
);

export const testClocks = pgTable(
  "test_clocks",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    name: text("name"),
    frozenTime: at("frozen_time").notNull(),
    status: text("status").$type<"ready" | "advancing">().notNull().default("ready"),
    /** Where an advance is heading while status is "advancing". */
    targetTime: at("target_time"),
    /** The process advancing the clock holds it until then; an advance left behind by a crash is taken over after. */
    advanceLeaseUntil: at("advance_lease_until"),
    /** Why the last advance stopped short of its target (the clock is "ready" where it stopped); null once one completes. */
    lastAdvanceError: text("last_advance_error"),
    deleted: boolean("deleted").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("test_clocks_merchant_idx").on(t.merchantId)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    actorType: text("actor_type").$type<"staff" | "api_key" | "system" | "customer" | "operator">().notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: at("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_events_target_idx").on(t.merchantId, t.targetId),
    // The console's audit log: a merchant's events newest first, read backwards along this index page by page.
    index("audit_events_merchant_time_idx").on(t.merchantId, t.occurredAt, t.id),
  ],
);


/**
 * A mailed invitation to join a merchant's console with a role. Its link carries a signed token naming the row; the row
 * decides whether the link still opens: single use (accepted_at), revocable (revoked_at), expiring (expires_at, moved
 * on when the mail is sent again).
 */
export const staffInvitations = pgTable(
  "staff_invitations",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    /** Lower-cased. */
    email: text("email").notNull(),
    role: text("role").$type<StaffRole>().notNull(),
    /** The language of the mail (the inviter's), and the new member's console language until they choose another. */
    locale: text("locale").$type<"ja" | "en">().notNull().default("ja"),
    /** Null when the inviter's login was removed since (or an operator invited). */
    invitedBy: text("invited_by").references(() => staffUsers.id),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    acceptedAt: at("accepted_at"),
    /** The staff login the acceptance made (no foreign key: the member may be removed later). */
    acceptedBy: text("accepted_by"),
    revokedAt: at("revoked_at"),
  },
  (t) => [index("staff_invitations_merchant_idx").on(t.merchantId, t.createdAt), index("staff_invitations_expiry_idx").on(t.expiresAt)],
);
