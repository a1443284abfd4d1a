CREATE TABLE "atobarai_refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"method" text NOT NULL,
	"note" text,
	"refunded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"request_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "atobarai_orders" ADD COLUMN "amount_refunded" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "atobarai_refunds" ADD CONSTRAINT "atobarai_refunds_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_refunds" ADD CONSTRAINT "atobarai_refunds_order_id_atobarai_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."atobarai_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "atobarai_refunds_order_idx" ON "atobarai_refunds" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "atobarai_refunds_request_key" ON "atobarai_refunds" USING btree ("merchant_id","request_key");