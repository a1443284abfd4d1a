DROP INDEX "atobarai_statements_period";--> statement-breakpoint
ALTER TABLE "atobarai_statements" ADD COLUMN "test_clock_id" text;--> statement-breakpoint
ALTER TABLE "atobarai_orders" ADD CONSTRAINT "atobarai_orders_test_clock_id_test_clocks_id_fk" FOREIGN KEY ("test_clock_id") REFERENCES "public"."test_clocks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "atobarai_statements" ADD CONSTRAINT "atobarai_statements_test_clock_id_test_clocks_id_fk" FOREIGN KEY ("test_clock_id") REFERENCES "public"."test_clocks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "atobarai_statements_clock_period" ON "atobarai_statements" USING btree ("merchant_id","test_clock_id","period_end") WHERE test_clock_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "atobarai_statements_period" ON "atobarai_statements" USING btree ("merchant_id","period_end") WHERE test_clock_id is null;