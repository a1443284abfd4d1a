DROP INDEX "gateway_events_due_idx";--> statement-breakpoint
CREATE INDEX "gateway_events_due_idx" ON "gateway_events" USING btree ("next_attempt_at") WHERE status = 'pending';