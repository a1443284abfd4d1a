CREATE TABLE "dashboard_rollup_changes" (
	"merchant_id" text NOT NULL,
	"measure" text NOT NULL,
	"plan_id" text NOT NULL,
	"day" date NOT NULL,
	"n" bigint NOT NULL,
	"amount" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dashboard_rollups" (
	"merchant_id" text NOT NULL,
	"measure" text NOT NULL,
	"plan_id" text NOT NULL,
	"day" date NOT NULL,
	"n" bigint NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "dashboard_rollups_merchant_id_measure_plan_id_day_pk" PRIMARY KEY("merchant_id","measure","plan_id","day")
);
--> statement-breakpoint
CREATE INDEX "dashboard_rollup_changes_merchant_idx" ON "dashboard_rollup_changes" USING btree ("merchant_id");