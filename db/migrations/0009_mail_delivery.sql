CREATE TABLE "mail_events" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"mail_id" text NOT NULL,
	"kind" text NOT NULL,
	"provider_event_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_suppressions" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"address" text NOT NULL,
	"reason" text NOT NULL,
	"source_mail_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "invoice_registration_number" text;--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "mail_reply_to" text;--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "mail_settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "product_id" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "test_clock_id" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "html" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "text_body" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "from_header" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "reply_to" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "rendered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "provider_message_id" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "delivery_status" text;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "delivery_status_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mails" ADD COLUMN "resend_of" text;--> statement-breakpoint
ALTER TABLE "mail_events" ADD CONSTRAINT "mail_events_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_suppressions" ADD CONSTRAINT "mail_suppressions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_events_mail_idx" ON "mail_events" USING btree ("mail_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_events_provider_key" ON "mail_events" USING btree ("provider_event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_suppressions_address" ON "mail_suppressions" USING btree ("merchant_id","address");--> statement-breakpoint
CREATE INDEX "mails_provider_idx" ON "mails" USING btree ("provider_message_id") WHERE provider_message_id is not null;--> statement-breakpoint
CREATE INDEX "mails_queue_idx" ON "mails" USING btree ("next_attempt_at") WHERE status = 'queued';--> statement-breakpoint
-- Mails queued before delivery existed were never going to leave; they stay in the outbox, marked.
UPDATE "mails" SET "status" = 'not_delivered', "status_reason" = 'queued_before_delivery' WHERE "status" = 'queued';
