-- dashboard_rollups (db/schema/dashboard.ts): what the console home measures, per merchant, measure, plan and local
-- day, kept by the triggers below for every statement on subscriptions, scheduled_actions, invoices and
-- payment_attempts, whoever runs it. As with subscription_counts (0007), a statement appends its net changes to
-- dashboard_rollup_changes and folds them in when it can take the merchant's advisory lock without waiting.
--
-- Each measure is the sum, over the rows as they are now, of one contribution function below; every trigger
-- appends (contributions of the rows after the statement) − (contributions of the rows before it), so the rollups
-- stay equal to that sum whatever the order of the statements. A contribution that needs a row of another table
-- (an action's contract, an invoice's first attempt) reads it as it is when the statement runs; the trigger on that
-- other table moves the contributions that depend on it when it changes.

-- A contract bears MRR from the end of its trial (else its sign-up), once it has paid, until it ended; one that ended
-- before it would have started never bore any. Contracts of test clocks count nowhere.
CREATE FUNCTION dashboard_contract_moves(s subscriptions) RETURNS TABLE (measure text, plan_id text, at timestamptz, n bigint, amount bigint)
  LANGUAGE sql STABLE
  AS $$
  SELECT m.measure, s.plan_id, m.at, 1::bigint, 0::bigint
  FROM (VALUES ('started', coalesce(s.trial_end, s.created_at)), ('ended', s.ended_at)) AS m(measure, at)
  WHERE s.test_clock_id IS NULL AND s.last_payment_at IS NOT NULL
    AND (s.ended_at IS NULL OR s.ended_at > coalesce(s.trial_end, s.created_at))
    AND m.at IS NOT NULL
$$;
--> statement-breakpoint
-- A pending renewal, counted under the plan it will bill (a pending plan change's new one).
CREATE FUNCTION dashboard_renewal_moves(a scheduled_actions, s subscriptions) RETURNS TABLE (measure text, plan_id text, at timestamptz, n bigint, amount bigint)
  LANGUAGE sql STABLE
  AS $$
  SELECT 'renewal_due', coalesce(s.pending_plan_id, s.plan_id), a.due_at, 1::bigint, 0::bigint
  WHERE a.kind = 'renewal' AND a.status = 'pending' AND a.test_clock_id IS NULL AND s.id = a.subscription_id
$$;
--> statement-breakpoint
-- A renewal invoice whose first attempt failed, on the day it failed; recovered once the invoice is paid (Stripe's
-- recovery rate: the first charge after a trial is a 'first' invoice, not a renewal).
CREATE FUNCTION dashboard_recovery_moves(i invoices, a payment_attempts) RETURNS TABLE (measure text, plan_id text, at timestamptz, n bigint, amount bigint)
  LANGUAGE sql STABLE
  AS $$
  SELECT m.measure, '', a.attempted_at, 1::bigint, m.amount
  FROM (VALUES ('failed_renewal', 0::bigint), ('recovered_renewal', i.total::bigint)) AS m(measure, amount)
  WHERE a.invoice_id = i.id AND a.attempt_number = 1 AND a.status = 'failed' AND i.kind = 'renewal'
    AND (m.measure = 'failed_renewal' OR i.status = 'paid')
    AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = i.subscription_id AND s.test_clock_id IS NOT NULL)
$$;
--> statement-breakpoint
CREATE FUNCTION dashboard_rollups_fold(merchants text[]) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  merchant text;
BEGIN
  -- As subscription_counts_fold: only read-committed transactions fold; the others' changes wait for the next one.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RETURN;
  END IF;
  FOREACH merchant IN ARRAY coalesce(merchants, '{}') LOOP
    IF pg_try_advisory_xact_lock(hashtext('dashboard_rollups'), hashtext(merchant)) THEN
      WITH folded AS (
        DELETE FROM dashboard_rollup_changes c WHERE c.merchant_id = merchant
        RETURNING c.measure, c.plan_id, c.day, c.n, c.amount
      )
      INSERT INTO dashboard_rollups AS t (merchant_id, measure, plan_id, day, n, amount)
      SELECT merchant, measure, plan_id, day, sum(n), sum(amount) FROM folded GROUP BY 2, 3, 4
      ON CONFLICT (merchant_id, measure, plan_id, day) DO UPDATE SET n = t.n + excluded.n, amount = t.amount + excluded.amount;
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
-- A signed contribution, before it is put on the merchant's local day.
CREATE TYPE dashboard_move AS (merchant_id text, measure text, plan_id text, at timestamptz, n bigint, amount bigint);
--> statement-breakpoint
-- Appends a statement's moves as changes by local day in each merchant's time zone (those that cancel out are not
-- written: most renewals change no contribution at all), then folds.
CREATE FUNCTION dashboard_rollups_append(moves dashboard_move[]) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  merchants text[];
BEGIN
  IF coalesce(cardinality(moves), 0) = 0 THEN
    RETURN;
  END IF;
  WITH changed AS (
    INSERT INTO dashboard_rollup_changes (merchant_id, measure, plan_id, day, n, amount)
    SELECT m.merchant_id, m.measure, m.plan_id, (m.at AT TIME ZONE mc.time_zone)::date, sum(m.n), sum(m.amount)
    FROM unnest(moves) AS m
    JOIN merchants mc ON mc.id = m.merchant_id
    GROUP BY 1, 2, 3, 4 HAVING sum(m.n) <> 0 OR sum(m.amount) <> 0
    RETURNING merchant_id
  )
  SELECT array_agg(DISTINCT merchant_id) INTO merchants FROM changed;
  PERFORM dashboard_rollups_fold(merchants);
END
$$;
--> statement-breakpoint
-- subscriptions: their own MRR contributions, and those of their pending renewals (which bill their plan).
CREATE FUNCTION dashboard_rollups_subscriptions_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM dashboard_rollups_append(array(
    SELECT ROW(s.merchant_id, c.measure, c.plan_id, c.at, c.n, c.amount)::dashboard_move
    FROM new_rows s, dashboard_contract_moves(s::subscriptions) c
    UNION ALL
    -- Renewals planned before their contract was written (counted from now on).
    SELECT ROW(s.merchant_id, c.measure, c.plan_id, c.at, c.n, c.amount)::dashboard_move
    FROM new_rows s JOIN scheduled_actions a ON a.subscription_id = s.id AND a.status = 'pending' AND a.kind = 'renewal',
      dashboard_renewal_moves(a, s::subscriptions) c));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION dashboard_rollups_subscriptions_updated() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- Only rows whose contributions can differ: a renewal (paid-through, last payment) changes none of these.
  PERFORM dashboard_rollups_append(array(
    WITH moved AS (
      SELECT o::subscriptions AS old_row, n::subscriptions AS new_row, (o.pending_plan_id, o.plan_id) IS DISTINCT FROM (n.pending_plan_id, n.plan_id) AS replanned
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.merchant_id, o.plan_id, o.pending_plan_id, o.test_clock_id, o.last_payment_at IS NULL, o.trial_end, o.created_at, o.ended_at)
        IS DISTINCT FROM (n.merchant_id, n.plan_id, n.pending_plan_id, n.test_clock_id, n.last_payment_at IS NULL, n.trial_end, n.created_at, n.ended_at)
    )
    SELECT ROW((m.new_row).merchant_id, c.measure, c.plan_id, c.at, c.n, c.amount)::dashboard_move
    FROM moved m, dashboard_contract_moves(m.new_row) c
    UNION ALL
    SELECT ROW((m.old_row).merchant_id, c.measure, c.plan_id, c.at, -c.n, -c.amount)::dashboard_move
    FROM moved m, dashboard_contract_moves(m.old_row) c
    UNION ALL
    SELECT ROW((m.new_row).merchant_id, c.measure, c.plan_id, c.at, c.n, c.amount)::dashboard_move
    FROM moved m JOIN scheduled_actions a ON a.subscription_id = (m.new_row).id AND a.status = 'pending' AND a.kind = 'renewal',
      dashboard_renewal_moves(a, m.new_row) c
    WHERE m.replanned
    UNION ALL
    SELECT ROW((m.old_row).merchant_id, c.measure, c.plan_id, c.at, -c.n, -c.amount)::dashboard_move
    FROM moved m JOIN scheduled_actions a ON a.subscription_id = (m.old_row).id AND a.status = 'pending' AND a.kind = 'renewal',
      dashboard_renewal_moves(a, m.old_row) c
    WHERE m.replanned));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION dashboard_rollups_subscriptions_deleted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM dashboard_rollups_append(array(
    SELECT ROW(s.merchant_id, c.measure, c.plan_id, c.at, -c.n, -c.amount)::dashboard_move
    FROM old_rows s, dashboard_contract_moves(s::subscriptions) c
    UNION ALL
    SELECT ROW(s.merchant_id, c.measure, c.plan_id, c.at, -c.n, -c.amount)::dashboard_move
    FROM old_rows s JOIN scheduled_actions a ON a.subscription_id = s.id AND a.status = 'pending' AND a.kind = 'renewal',
      dashboard_renewal_moves(a, s::subscriptions) c));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- scheduled_actions: pending renewals, under their contract's plan as it is now.
CREATE FUNCTION dashboard_rollups_actions_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM dashboard_rollups_append(array(
      SELECT ROW(a.merchant_id, c.measure, c.plan_id, c.at, c.n, c.amount)::dashboard_move
      FROM new_rows a JOIN subscriptions s ON s.id = a.subscription_id, dashboard_renewal_moves(a::scheduled_actions, s) c
      WHERE a.kind = 'renewal' AND a.status = 'pending'));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM dashboard_rollups_append(array(
      SELECT ROW(a.merchant_id, c.measure, c.plan_id, c.at, -c.n, -c.amount)::dashboard_move
      FROM old_rows a JOIN subscriptions s ON s.id = a.subscription_id, dashboard_renewal_moves(a::scheduled_actions, s) c
      WHERE a.kind = 'renewal' AND a.status = 'pending'));
  ELSE
    PERFORM dashboard_rollups_append(array(
      WITH moved AS (
        SELECT o::scheduled_actions AS old_row, n::scheduled_actions AS new_row FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.kind = 'renewal' OR n.kind = 'renewal')
          AND (o.merchant_id, o.kind, o.status, o.due_at, o.test_clock_id, o.subscription_id)
            IS DISTINCT FROM (n.merchant_id, n.kind, n.status, n.due_at, n.test_clock_id, n.subscription_id)
      )
      SELECT ROW((m.new_row).merchant_id, c.measure, c.plan_id, c.at, c.n, c.amount)::dashboard_move
      FROM moved m JOIN subscriptions s ON s.id = (m.new_row).subscription_id, dashboard_renewal_moves(m.new_row, s) c
      UNION ALL
      SELECT ROW((m.old_row).merchant_id, c.measure, c.plan_id, c.at, -c.n, -c.amount)::dashboard_move
      FROM moved m JOIN subscriptions s ON s.id = (m.old_row).subscription_id, dashboard_renewal_moves(m.old_row, s) c));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- payment_attempts: a first attempt that failed, with its invoice as it is now.
CREATE FUNCTION dashboard_rollups_attempts_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM dashboard_rollups_append(array(
      SELECT ROW(i.merchant_id, c.measure, c.plan_id, c.at, c.n, c.amount)::dashboard_move
      FROM new_rows a JOIN invoices i ON i.id = a.invoice_id, dashboard_recovery_moves(i, a::payment_attempts) c
      WHERE a.attempt_number = 1 AND a.status = 'failed'));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM dashboard_rollups_append(array(
      SELECT ROW(i.merchant_id, c.measure, c.plan_id, c.at, -c.n, -c.amount)::dashboard_move
      FROM old_rows a JOIN invoices i ON i.id = a.invoice_id, dashboard_recovery_moves(i, a::payment_attempts) c
      WHERE a.attempt_number = 1 AND a.status = 'failed'));
  ELSE
    PERFORM dashboard_rollups_append(array(
      WITH moved AS (
        SELECT o::payment_attempts AS old_row, n::payment_attempts AS new_row FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.attempt_number = 1 OR n.attempt_number = 1)
          AND (o.invoice_id, o.attempt_number, o.status, o.attempted_at) IS DISTINCT FROM (n.invoice_id, n.attempt_number, n.status, n.attempted_at)
      )
      SELECT ROW(i.merchant_id, c.measure, c.plan_id, c.at, c.n, c.amount)::dashboard_move
      FROM moved m JOIN invoices i ON i.id = (m.new_row).invoice_id, dashboard_recovery_moves(i, m.new_row) c
      UNION ALL
      SELECT ROW(i.merchant_id, c.measure, c.plan_id, c.at, -c.n, -c.amount)::dashboard_move
      FROM moved m JOIN invoices i ON i.id = (m.old_row).invoice_id, dashboard_recovery_moves(i, m.old_row) c));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- invoices: whether a renewal whose first attempt failed is paid, and for how much. (An invoice is written before its
-- attempts and deleted after them, so only its updates can move anything.)
CREATE FUNCTION dashboard_rollups_invoices_updated() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM dashboard_rollups_append(array(
    WITH moved AS (
      SELECT o::invoices AS old_row, n::invoices AS new_row FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.merchant_id, o.kind, o.status = 'paid', o.total, o.subscription_id) IS DISTINCT FROM (n.merchant_id, n.kind, n.status = 'paid', n.total, n.subscription_id)
    )
    SELECT ROW((m.new_row).merchant_id, c.measure, c.plan_id, c.at, c.n, c.amount)::dashboard_move
    FROM moved m JOIN payment_attempts a ON a.invoice_id = (m.new_row).id AND a.attempt_number = 1, dashboard_recovery_moves(m.new_row, a) c
    UNION ALL
    SELECT ROW((m.old_row).merchant_id, c.measure, c.plan_id, c.at, -c.n, -c.amount)::dashboard_move
    FROM moved m JOIN payment_attempts a ON a.invoice_id = (m.old_row).id AND a.attempt_number = 1, dashboard_recovery_moves(m.old_row, a) c));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_subscriptions_insert AFTER INSERT ON subscriptions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_subscriptions_inserted();
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_subscriptions_update AFTER UPDATE ON subscriptions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_subscriptions_updated();
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_subscriptions_delete AFTER DELETE ON subscriptions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_subscriptions_deleted();
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_actions_insert AFTER INSERT ON scheduled_actions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_actions_changed();
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_actions_update AFTER UPDATE ON scheduled_actions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_actions_changed();
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_actions_delete AFTER DELETE ON scheduled_actions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_actions_changed();
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_attempts_insert AFTER INSERT ON payment_attempts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_attempts_changed();
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_attempts_update AFTER UPDATE ON payment_attempts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_attempts_changed();
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_attempts_delete AFTER DELETE ON payment_attempts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_attempts_changed();
--> statement-breakpoint
CREATE TRIGGER dashboard_rollups_invoices_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_invoices_updated();
--> statement-breakpoint
-- What a merchant's rollups must sum to: its rows' contributions as they are now, on local days in its time zone as
-- it is now. The definition the triggers keep up with (lib/services/internal/dashboard-rollups.test.ts compares them
-- after every step of contracts' lives), and the source of a rebuild.
CREATE FUNCTION dashboard_rollups_recount(merchant text) RETURNS TABLE (measure text, plan_id text, day date, n bigint, amount bigint)
  LANGUAGE sql STABLE
  AS $$
  WITH moves AS (
    SELECT c.* FROM subscriptions s, dashboard_contract_moves(s) c WHERE s.merchant_id = merchant
    UNION ALL
    SELECT c.* FROM scheduled_actions a JOIN subscriptions s ON s.id = a.subscription_id, dashboard_renewal_moves(a, s) c
    WHERE a.merchant_id = merchant AND a.status = 'pending' AND a.kind = 'renewal'
    UNION ALL
    SELECT c.* FROM payment_attempts a JOIN invoices i ON i.id = a.invoice_id, dashboard_recovery_moves(i, a) c
    WHERE a.merchant_id = merchant AND a.attempt_number = 1 AND a.status = 'failed'
  )
  SELECT m.measure, m.plan_id, (m.at AT TIME ZONE mc.time_zone)::date, sum(m.n)::bigint, sum(m.amount)::bigint
  FROM moves m JOIN merchants mc ON mc.id = merchant
  GROUP BY 1, 2, 3
$$;
--> statement-breakpoint
-- A merchant's rollups recounted: the backfill below, and after a time zone change (its days move). Under the
-- merchant's fold lock, taken first so that no fold runs in between.
CREATE FUNCTION dashboard_rollups_rebuild(merchant text) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('dashboard_rollups'), hashtext(merchant));
  -- Nobody else writes these rows while the lock is held (folds need it).
  DELETE FROM dashboard_rollups WHERE merchant_id = merchant;
  -- The changes dropped and the rows counted in one snapshot: a change committed after it stays, its rows uncounted.
  WITH dropped_changes AS (DELETE FROM dashboard_rollup_changes WHERE merchant_id = merchant)
  INSERT INTO dashboard_rollups (merchant_id, measure, plan_id, day, n, amount)
  SELECT merchant, r.measure, r.plan_id, r.day, r.n, r.amount FROM dashboard_rollups_recount(merchant) r;
END
$$;
--> statement-breakpoint
SELECT dashboard_rollups_rebuild(id) FROM merchants;
