ALTER TABLE "mails" ADD COLUMN "batch_key" text;--> statement-breakpoint
CREATE INDEX "mails_batch_idx" ON "mails" USING btree ("batch_key") WHERE status = 'queued' and batch_key is not null;