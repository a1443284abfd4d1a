ALTER TABLE "scheduled_actions" ADD COLUMN "dispatched_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "scheduled_actions_undispatched_idx" ON "scheduled_actions" USING btree ("due_at") WHERE dispatched_at is null and status in ('pending', 'canceled');--> statement-breakpoint
-- Canceled before the dispatcher existed: there is nothing running in Inngest to tell about them.
UPDATE "scheduled_actions" SET "dispatched_at" = now() WHERE "status" = 'canceled';
