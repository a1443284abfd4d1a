CREATE TABLE "stripe_credentials" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"secret_key" text,
	"secret_key_last4" text,
	"publishable_key" text,
	"publishable_key_last4" text,
	"webhook_secret" text,
	"webhook_secret_last4" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stripe_customers" (
	"merchant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"account" text NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stripe_credentials" ADD CONSTRAINT "stripe_credentials_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_customers" ADD CONSTRAINT "stripe_customers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stripe_customers_key" ON "stripe_customers" USING btree ("customer_id","account");--> statement-breakpoint
CREATE INDEX "stripe_customers_merchant_idx" ON "stripe_customers" USING btree ("merchant_id");