-- subscription_counts: contracts per merchant, plan, test clock, status and whether they owe, for the contracts
-- workspace's status tabs and totals (counting a million rows takes longer than the page may). Kept by the triggers
-- below for every statement on subscriptions, whoever runs it. A statement appends its net changes to
-- subscription_count_changes (an insert: concurrent writers never wait on one another); then, if it can take the
-- merchant's advisory lock without waiting, it folds the changes committed so far (and its own) into
-- subscription_counts. A reader sums both tables, in one snapshot.
CREATE FUNCTION subscription_counts_fold(merchants text[]) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  merchant text;
BEGIN
  -- Only a read-committed transaction folds: one with an older snapshot could meet changes another folder removed
  -- (a serialization failure in the middle of someone's verb). Its changes wait for the next folder.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RETURN;
  END IF;
  FOREACH merchant IN ARRAY coalesce(merchants, '{}') LOOP
    -- Held to the end of the transaction: one folder per merchant at a time, and the others do not wait for it.
    IF pg_try_advisory_xact_lock(hashtext('subscription_counts'), hashtext(merchant)) THEN
      WITH folded AS (
        DELETE FROM subscription_count_changes c WHERE c.merchant_id = merchant
        RETURNING c.plan_id, c.test_clock_id, c.status, c.overdue, c.delta
      )
      INSERT INTO subscription_counts AS t (merchant_id, plan_id, test_clock_id, status, overdue, count)
      SELECT merchant, plan_id, test_clock_id, status, overdue, sum(delta) FROM folded GROUP BY 2, 3, 4, 5
      ON CONFLICT (merchant_id, plan_id, test_clock_id, status, overdue) DO UPDATE SET count = t.count + excluded.count;
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE FUNCTION subscription_counts_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  merchants text[];
BEGIN
  WITH changed AS (
    INSERT INTO subscription_count_changes (merchant_id, plan_id, test_clock_id, status, overdue, delta)
    SELECT merchant_id, plan_id, coalesce(test_clock_id, ''), status, overdue_invoice_id IS NOT NULL, count(*)
    FROM new_rows GROUP BY 1, 2, 3, 4, 5
    RETURNING merchant_id
  )
  SELECT array_agg(DISTINCT merchant_id) INTO merchants FROM changed;
  PERFORM subscription_counts_fold(merchants);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION subscription_counts_updated() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  merchants text[];
BEGIN
  -- Most updates (a renewal) change none of the counted columns: their rows cancel out and nothing is written.
  WITH changed AS (
    INSERT INTO subscription_count_changes (merchant_id, plan_id, test_clock_id, status, overdue, delta)
    SELECT merchant_id, plan_id, test_clock_id, status, overdue, sum(delta) FROM (
      SELECT merchant_id, plan_id, coalesce(test_clock_id, '') AS test_clock_id, status, overdue_invoice_id IS NOT NULL AS overdue, -1 AS delta FROM old_rows
      UNION ALL
      SELECT merchant_id, plan_id, coalesce(test_clock_id, ''), status, overdue_invoice_id IS NOT NULL, 1 FROM new_rows
    ) moves GROUP BY 1, 2, 3, 4, 5 HAVING sum(delta) <> 0
    RETURNING merchant_id
  )
  SELECT array_agg(DISTINCT merchant_id) INTO merchants FROM changed;
  PERFORM subscription_counts_fold(merchants);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION subscription_counts_deleted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  merchants text[];
BEGIN
  WITH changed AS (
    INSERT INTO subscription_count_changes (merchant_id, plan_id, test_clock_id, status, overdue, delta)
    SELECT merchant_id, plan_id, coalesce(test_clock_id, ''), status, overdue_invoice_id IS NOT NULL, -count(*)
    FROM old_rows GROUP BY 1, 2, 3, 4, 5
    RETURNING merchant_id
  )
  SELECT array_agg(DISTINCT merchant_id) INTO merchants FROM changed;
  PERFORM subscription_counts_fold(merchants);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER subscription_counts_insert AFTER INSERT ON subscriptions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscription_counts_inserted();
--> statement-breakpoint
CREATE TRIGGER subscription_counts_update AFTER UPDATE ON subscriptions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscription_counts_updated();
--> statement-breakpoint
CREATE TRIGGER subscription_counts_delete AFTER DELETE ON subscriptions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION subscription_counts_deleted();
--> statement-breakpoint
-- The counts of the contracts there are already.
INSERT INTO subscription_counts (merchant_id, plan_id, test_clock_id, status, overdue, count)
SELECT merchant_id, plan_id, coalesce(test_clock_id, ''), status, overdue_invoice_id IS NOT NULL, count(*)
FROM subscriptions GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
-- Each contract's earliest pending action, as lib/services/internal/scheduled-actions.ts keeps it from now on.
UPDATE subscriptions s SET next_action_kind = a.kind, next_action_at = a.due_at
FROM (
  SELECT DISTINCT ON (subscription_id) subscription_id, kind, due_at
  FROM scheduled_actions WHERE status = 'pending' AND subscription_id IS NOT NULL
  ORDER BY subscription_id, due_at, id
) a
WHERE s.id = a.subscription_id;
--> statement-breakpoint
-- subscriptions.card_expiry_month: the card on file's expiry month (year × 100 + month) for the console's card filter,
-- set whenever payment_method_id is written. A card's expiry never changes, so nothing else needs to follow.
CREATE FUNCTION subscription_card_expiry_month() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.card_expiry_month := (SELECT exp_year * 100 + exp_month FROM payment_methods WHERE id = NEW.payment_method_id);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER subscription_card_expiry_month BEFORE INSERT OR UPDATE OF payment_method_id ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION subscription_card_expiry_month();
--> statement-breakpoint
UPDATE subscriptions s SET card_expiry_month = pm.exp_year * 100 + pm.exp_month
FROM payment_methods pm WHERE pm.id = s.payment_method_id;
