CREATE TABLE "subscription_count_changes" (
	"merchant_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"test_clock_id" text NOT NULL,
	"status" text NOT NULL,
	"overdue" boolean NOT NULL,
	"delta" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscription_counts" (
	"merchant_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"test_clock_id" text NOT NULL,
	"status" text NOT NULL,
	"overdue" boolean NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "subscription_counts_merchant_id_plan_id_test_clock_id_status_overdue_pk" PRIMARY KEY("merchant_id","plan_id","test_clock_id","status","overdue")
);
--> statement-breakpoint
DROP INDEX "subscriptions_status_idx";--> statement-breakpoint
DROP INDEX "subscriptions_payment_method_idx";--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "next_action_kind" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "next_action_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "card_expiry_month" integer;--> statement-breakpoint
CREATE INDEX "subscription_count_changes_merchant_idx" ON "subscription_count_changes" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "customers_name_idx" ON "customers" USING btree ("merchant_id","name","id");--> statement-breakpoint
CREATE INDEX "customers_search_idx" ON "customers" USING gin (customer_search_grams("name", "email"));--> statement-breakpoint
CREATE INDEX "subscriptions_created_idx" ON "subscriptions" USING btree ("merchant_id","created_at","id","status");--> statement-breakpoint
CREATE INDEX "subscriptions_status_created_idx" ON "subscriptions" USING btree ("merchant_id","status","created_at","id") WHERE status <> 'active';--> statement-breakpoint
CREATE INDEX "subscriptions_paid_through_idx" ON "subscriptions" USING btree ("merchant_id","paid_through","id","status");--> statement-breakpoint
CREATE INDEX "subscriptions_next_action_idx" ON "subscriptions" USING btree ("merchant_id","next_action_at","id","status","next_action_kind");--> statement-breakpoint
CREATE INDEX "subscriptions_overdue_idx" ON "subscriptions" USING btree ("merchant_id","paid_through","id","status") WHERE overdue_invoice_id is not null;--> statement-breakpoint
CREATE INDEX "subscriptions_card_expiry_idx" ON "subscriptions" USING btree ("merchant_id","card_expiry_month","status","created_at","id");--> statement-breakpoint
CREATE INDEX "scheduled_actions_next_idx" ON "scheduled_actions" USING btree ("subscription_id","due_at","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "subscriptions_status_idx" ON "subscriptions" USING btree ("merchant_id","status","paid_through","id");--> statement-breakpoint
CREATE INDEX "subscriptions_payment_method_idx" ON "subscriptions" USING btree ("payment_method_id","merchant_id","status");