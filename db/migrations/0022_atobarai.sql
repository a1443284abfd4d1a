CREATE TABLE "atobarai_accounts" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"next_cycle_from" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "atobarai_order_events" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "atobarai_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"order_ref" text NOT NULL,
	"status" text DEFAULT 'registered' NOT NULL,
	"buyer_name" text NOT NULL,
	"buyer_kana" text NOT NULL,
	"buyer_email" text NOT NULL,
	"buyer_phone" text NOT NULL,
	"postal_code" text NOT NULL,
	"address" text NOT NULL,
	"shipping" jsonb,
	"items" jsonb NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text DEFAULT 'JPY' NOT NULL,
	"buyer_phone_key" text,
	"buyer_email_key" text,
	"buyer_address_key" text,
	"source" text NOT NULL,
	"screening_result" text,
	"screening_reasons" jsonb,
	"screened_at" timestamp with time zone,
	"reviewed_by" text,
	"review_note" text,
	"tracking_number" text,
	"carrier" text,
	"invoice_delivery" text,
	"invoice_issued_at" timestamp with time zone,
	"due_on" date,
	"payment_number" text,
	"bank_reference" text,
	"amount_paid" bigint DEFAULT 0 NOT NULL,
	"paid_at" timestamp with time zone,
	"reminders_sent" integer DEFAULT 0 NOT NULL,
	"collection_at" timestamp with time zone,
	"canceled_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"statement_id" text,
	"reversal_statement_id" text,
	"fallback_for_invoice_id" text,
	"test_clock_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "atobarai_payment_imports" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"file_name" text NOT NULL,
	"encoding" text NOT NULL,
	"recorded" integer NOT NULL,
	"duplicates" integer NOT NULL,
	"refused" integer NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"staff_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "atobarai_payments" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"notice_id" text NOT NULL,
	"channel" text NOT NULL,
	"amount" bigint NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"import_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "atobarai_statement_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"statement_id" text NOT NULL,
	"order_id" text NOT NULL,
	"kind" text NOT NULL,
	"amount" bigint NOT NULL,
	"description" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "atobarai_statements" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"cycle" jsonb NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"sales" bigint NOT NULL,
	"fees" bigint NOT NULL,
	"reversals" bigint NOT NULL,
	"net" bigint NOT NULL,
	"order_count" integer NOT NULL,
	"closed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "atobarai_accounts" ADD CONSTRAINT "atobarai_accounts_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_order_events" ADD CONSTRAINT "atobarai_order_events_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_order_events" ADD CONSTRAINT "atobarai_order_events_order_id_atobarai_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."atobarai_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_orders" ADD CONSTRAINT "atobarai_orders_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_orders" ADD CONSTRAINT "atobarai_orders_fallback_for_invoice_id_invoices_id_fk" FOREIGN KEY ("fallback_for_invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_payment_imports" ADD CONSTRAINT "atobarai_payment_imports_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_payments" ADD CONSTRAINT "atobarai_payments_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_payments" ADD CONSTRAINT "atobarai_payments_order_id_atobarai_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."atobarai_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_statement_lines" ADD CONSTRAINT "atobarai_statement_lines_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_statement_lines" ADD CONSTRAINT "atobarai_statement_lines_statement_id_atobarai_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."atobarai_statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_statement_lines" ADD CONSTRAINT "atobarai_statement_lines_order_id_atobarai_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."atobarai_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_statements" ADD CONSTRAINT "atobarai_statements_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "atobarai_order_events_order_idx" ON "atobarai_order_events" USING btree ("order_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "atobarai_orders_ref" ON "atobarai_orders" USING btree ("merchant_id","order_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "atobarai_orders_payment_number" ON "atobarai_orders" USING btree ("merchant_id","payment_number");--> statement-breakpoint
CREATE UNIQUE INDEX "atobarai_orders_bank_reference" ON "atobarai_orders" USING btree ("merchant_id","bank_reference");--> statement-breakpoint
CREATE INDEX "atobarai_orders_merchant_idx" ON "atobarai_orders" USING btree ("merchant_id","id");--> statement-breakpoint
CREATE INDEX "atobarai_orders_status_idx" ON "atobarai_orders" USING btree ("merchant_id","status","id");--> statement-breakpoint
CREATE INDEX "atobarai_orders_phone_idx" ON "atobarai_orders" USING btree ("merchant_id","buyer_phone_key");--> statement-breakpoint
CREATE INDEX "atobarai_orders_email_idx" ON "atobarai_orders" USING btree ("merchant_id","buyer_email_key");--> statement-breakpoint
CREATE INDEX "atobarai_orders_address_idx" ON "atobarai_orders" USING btree ("merchant_id","buyer_address_key");--> statement-breakpoint
CREATE INDEX "atobarai_orders_to_screen_idx" ON "atobarai_orders" USING btree ("created_at") WHERE status = 'registered';--> statement-breakpoint
CREATE INDEX "atobarai_orders_unpaid_idx" ON "atobarai_orders" USING btree ("due_on") WHERE status = 'shipped';--> statement-breakpoint
CREATE UNIQUE INDEX "atobarai_payments_notice" ON "atobarai_payments" USING btree ("merchant_id","notice_id");--> statement-breakpoint
CREATE INDEX "atobarai_payments_order_idx" ON "atobarai_payments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "atobarai_statement_lines_statement_idx" ON "atobarai_statement_lines" USING btree ("statement_id");--> statement-breakpoint
CREATE INDEX "atobarai_statement_lines_order_idx" ON "atobarai_statement_lines" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "atobarai_statements_period" ON "atobarai_statements" USING btree ("merchant_id","period_end");--> statement-breakpoint
CREATE INDEX "atobarai_statements_merchant_idx" ON "atobarai_statements" USING btree ("merchant_id","period_end");