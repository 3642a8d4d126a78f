"""The office server's own functions and triggers (created by app.services.server.security).

Every function pins `search_path` to pg_catalog, public, pg_temp: a session's temporary schema comes
last, so a rep's `CREATE TEMP TABLE users (...)` can never stand in for public.users inside a
SECURITY DEFINER function (`pin_search_paths` extends this to every function of the schema, those
made by migrations included). session_user, not current_user: inside a SECURITY DEFINER function
current_user is its owner.

Counters and stock are written by reps' roles only through these functions: number_series through
peyvand_take_numbers (gapless, the counter row locked until COMMIT; at COMMIT every counter and
numbered document a rep's role touched must agree), products.on_hand by the trigger that moves an
issued invoice's or return's goods, computed from its own lines. An invoice issued on a laptop
arrives with a provisional number only; the office's sync gives it the legal one through the same
counter (app.services.sync.documents), the only change an issued invoice still accepts.
"""

from __future__ import annotations

from sqlalchemy import Connection

SAFE_PATH = "pg_catalog, public, pg_temp"  # the session's temporary tables never stand in for ours
# Every (user_id, team_id) membership: a user's main team and their other teams (access.memberships).
MEMBERSHIPS = (
    "(SELECT id AS user_id, team_id FROM public.users WHERE team_id IS NOT NULL"
    " UNION SELECT user_id, team_id FROM public.team_members)"
)

ACCESS = f"""
CREATE OR REPLACE FUNCTION peyvand_user_id() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {SAFE_PATH} AS $$
  SELECT id FROM public.users WHERE 'pv_' || lower(login) = session_user AND is_active $$;
CREATE OR REPLACE FUNCTION peyvand_level() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {SAFE_PATH} AS $$ SELECT access_level FROM public.users WHERE id = peyvand_user_id() $$;
CREATE OR REPLACE FUNCTION peyvand_sees_all() RETURNS boolean LANGUAGE sql STABLE
SET search_path = {SAFE_PATH} AS $$ SELECT coalesce(peyvand_level() IN ('admin', 'all'), false) $$;
CREATE OR REPLACE FUNCTION peyvand_owners() RETURNS uuid[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {SAFE_PATH} AS $$
  SELECT array_append(coalesce(array_agg(DISTINCT m.user_id), '{{}}'), peyvand_user_id())
  FROM {MEMBERSHIPS} m JOIN public.sales_teams t ON t.id = m.team_id
  WHERE t.leader_id = peyvand_user_id() AND t.deleted_at IS NULL $$;
CREATE OR REPLACE FUNCTION peyvand_followed(tbl text) RETURNS SETOF uuid LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
  SELECT record_id FROM public.followers WHERE user_id = peyvand_user_id() AND record_table = tbl $$;
CREATE OR REPLACE FUNCTION peyvand_refuse_issued_change() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
DECLARE locked boolean := false;
BEGIN
  -- Each table in its own branch: PL/pgSQL resolves record fields even where a test cannot apply.
  IF TG_TABLE_NAME = 'invoices' THEN
    locked := OLD.state = 'issued';
    IF locked AND TG_OP = 'UPDATE' AND OLD.number IS NULL AND OLD.provisional_number IS NOT NULL THEN
      -- Issued on a laptop: the office gives it its legal number and nothing else (sync/documents.py).
      locked := NEW.number IS NULL OR NEW.fiscal_year IS NULL OR
        to_jsonb(OLD) - ARRAY['number', 'fiscal_year', 'updated_at', 'updated_by', 'version']
        IS DISTINCT FROM to_jsonb(NEW) - ARRAY['number', 'fiscal_year', 'updated_at', 'updated_by', 'version'];
    END IF;
  ELSIF TG_TABLE_NAME = 'sales_returns' THEN
    locked := OLD.state = 'issued';
  ELSIF TG_TABLE_NAME = 'contracts' THEN
    -- A signed contract's end date alone may move (that cancels its later instalments).
    locked := OLD.state = 'issued' AND (TG_OP = 'DELETE' OR
      to_jsonb(OLD) - ARRAY['end_date', 'updated_at', 'updated_by', 'version']
      IS DISTINCT FROM to_jsonb(NEW) - ARRAY['end_date', 'updated_at', 'updated_by', 'version']);
  ELSIF TG_TABLE_NAME IN ('contract_lines', 'contract_instalments') THEN
    locked := EXISTS (SELECT 1 FROM public.contracts WHERE state = 'issued' AND id IN (
      CASE WHEN TG_OP = 'INSERT' THEN NEW.contract_id ELSE OLD.contract_id END,
      CASE WHEN TG_OP = 'UPDATE' THEN NEW.contract_id END));
  ELSIF TG_TABLE_NAME = 'invoice_lines' THEN
    locked := EXISTS (SELECT 1 FROM public.invoices WHERE state = 'issued' AND id IN (
      CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END,
      CASE WHEN TG_OP = 'UPDATE' THEN NEW.invoice_id END));
  ELSIF TG_TABLE_NAME = 'sales_return_lines' THEN
    locked := EXISTS (SELECT 1 FROM public.sales_returns WHERE state = 'issued' AND id IN (
      CASE WHEN TG_OP = 'INSERT' THEN NEW.return_id ELSE OLD.return_id END,
      CASE WHEN TG_OP = 'UPDATE' THEN NEW.return_id END));
  END IF;
  IF locked THEN
    RAISE EXCEPTION 'issued documents cannot be changed' USING ERRCODE = 'P0001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
"""

# Logging in to the app on a user's own role: the failure counter, waiting time and last login are
# written to that user's row only (a role that is not an administrator may not update users), and so is
# the new hash of a user replacing their own temporary password.
LOGIN = f"""
CREATE OR REPLACE FUNCTION peyvand_record_login(failed integer, locked timestamptz, last_login timestamptz)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
  UPDATE public.users SET failed_logins = failed, locked_until = locked,
                   last_login_at = coalesce(last_login, last_login_at), version = version + 1
  WHERE 'pv_' || lower(login) = session_user $$;
REVOKE ALL ON FUNCTION peyvand_record_login(integer, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION peyvand_record_login(integer, timestamptz, timestamptz) TO peyvand_users;
CREATE OR REPLACE FUNCTION peyvand_own_password_hash() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
  SELECT password_hash FROM public.users WHERE 'pv_' || lower(login) = session_user $$;
REVOKE ALL ON FUNCTION peyvand_own_password_hash() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION peyvand_own_password_hash() TO peyvand_users;
CREATE OR REPLACE FUNCTION peyvand_set_own_password(new_hash text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
  UPDATE public.users SET password_hash = new_hash, must_change_password = false, version = version + 1
  WHERE 'pv_' || lower(login) = session_user AND is_active $$;
REVOKE ALL ON FUNCTION peyvand_set_own_password(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION peyvand_set_own_password(text) TO peyvand_users;
CREATE OR REPLACE FUNCTION peyvand_usable_admins() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
  SELECT count(*) FROM public.users WHERE access_level = 'admin' AND is_active AND password_hash IS NOT NULL $$;
REVOKE ALL ON FUNCTION peyvand_usable_admins() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION peyvand_usable_admins() TO peyvand_users;
"""

# The only way a rep's role advances a counter: by `amount` (at most a batch of issued drafts), the row
# created on first use and locked until COMMIT. Returns the first number and the counter's previous
# date; the app refuses a document dated before it (rolling the whole transaction back). At COMMIT a
# rep's changed counter or numbered document must leave the counter at its series' highest document
# number: a number taken for no document (a gap) or written without the counter (a duplicate to come)
# is refused.
NUMBERING = f"""
CREATE OR REPLACE FUNCTION peyvand_take_numbers(kind text, fiscal integer, amount integer, last_day date)
RETURNS TABLE (first_number integer, previous_day date) LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = {SAFE_PATH} AS $$
DECLARE previous_number integer; previous_date date;
BEGIN
  IF peyvand_user_id() IS NULL THEN
    RAISE EXCEPTION 'not a Peyvand user' USING ERRCODE = '42501';
  END IF;
  IF kind NOT IN ('quote', 'invoice', 'return', 'receipt', 'payment', 'contract') OR amount NOT BETWEEN 1 AND 1000 THEN
    RAISE EXCEPTION 'no such series or amount' USING ERRCODE = '22023';
  END IF;
  INSERT INTO public.number_series (series, fiscal_year, last_number) VALUES (kind, fiscal, 0)
  ON CONFLICT DO NOTHING;
  SELECT last_number, last_date INTO previous_number, previous_date FROM public.number_series
  WHERE series = kind AND fiscal_year = fiscal FOR UPDATE;
  UPDATE public.number_series SET last_number = last_number + amount, last_date = coalesce(last_day, last_date)
  WHERE series = kind AND fiscal_year = fiscal;
  RETURN QUERY SELECT previous_number + 1, previous_date;
END $$;
REVOKE ALL ON FUNCTION peyvand_take_numbers(text, integer, integer, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION peyvand_take_numbers(text, integer, integer, date) TO peyvand_users;
CREATE OR REPLACE FUNCTION peyvand_counter_matches() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {SAFE_PATH} AS $$
DECLARE kind text; counter integer; top integer; now_state text; now_number integer; now_year integer;
BEGIN
  IF left(session_user, 3) <> 'pv_' THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME IN ('invoices', 'sales_returns', 'contracts') THEN
    -- The row as it is at COMMIT: an invoice issued on a laptop arrives without its number and gets it
    -- later in the same transaction (NEW is the row as this one statement left it).
    IF TG_TABLE_NAME = 'invoices' THEN
      SELECT state::text, number, fiscal_year INTO now_state, now_number, now_year FROM public.invoices
      WHERE id = NEW.id;
    ELSIF TG_TABLE_NAME = 'sales_returns' THEN
      SELECT state::text, number, fiscal_year INTO now_state, now_number, now_year FROM public.sales_returns
      WHERE id = NEW.id;
    ELSE
      SELECT state::text, number, fiscal_year INTO now_state, now_number, now_year FROM public.contracts
      WHERE id = NEW.id;
    END IF;
    IF now_state = 'issued' AND (now_number IS NULL OR now_year IS NULL) THEN
      RAISE EXCEPTION 'an issued document needs its number' USING ERRCODE = '23514';
    END IF;
  END IF;
  IF NEW.fiscal_year IS NULL THEN
    RETURN NULL;
  END IF;
  -- Each table in its own branch: PL/pgSQL resolves NEW's fields per statement.
  IF TG_TABLE_NAME = 'number_series' THEN
    kind := NEW.series;
  ELSIF TG_TABLE_NAME = 'receipts' THEN
    kind := CASE WHEN NEW.direction = 'in' THEN 'receipt' ELSE 'payment' END;
  ELSE
    kind := CASE TG_TABLE_NAME WHEN 'quotes' THEN 'quote' WHEN 'invoices' THEN 'invoice'
                               WHEN 'contracts' THEN 'contract' ELSE 'return' END;
  END IF;
  SELECT last_number INTO counter FROM public.number_series WHERE series = kind AND fiscal_year = NEW.fiscal_year;
  top := CASE kind
    WHEN 'quote' THEN (SELECT max(number) FROM public.quotes WHERE fiscal_year = NEW.fiscal_year
                       AND device_code = '')  -- a laptop's quotes are numbered in its own series
    WHEN 'invoice' THEN (SELECT max(number) FROM public.invoices WHERE fiscal_year = NEW.fiscal_year)
    WHEN 'return' THEN (SELECT max(number) FROM public.sales_returns WHERE fiscal_year = NEW.fiscal_year)
    WHEN 'contract' THEN (SELECT max(number) FROM public.contracts WHERE fiscal_year = NEW.fiscal_year)
    WHEN 'receipt' THEN (SELECT max(number) FROM public.receipts
                         WHERE direction = 'in' AND fiscal_year = NEW.fiscal_year)
    WHEN 'payment' THEN (SELECT max(number) FROM public.receipts
                         WHERE direction = 'out' AND fiscal_year = NEW.fiscal_year)
  END;
  IF coalesce(counter, 0) <> coalesce(top, 0) THEN
    RAISE EXCEPTION 'document numbers must come from their counter' USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;
"""

# Issuing moves stock: when an invoice (out) or a return (in) turns from draft to issued, its own lines
# say how much; an issued document never changes again, so each moves stock exactly once. Sessions of
# other accounts (the database owner's tools) move stock in the app itself (documents.stock).
STOCK = f"""
CREATE OR REPLACE FUNCTION peyvand_move_stock() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {SAFE_PATH} AS $$
DECLARE moved record;
BEGIN
  IF left(session_user, 3) <> 'pv_' THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'invoices' THEN
    FOR moved IN SELECT product_id, -sum(quantity) AS q FROM public.invoice_lines
                 WHERE invoice_id = NEW.id AND deleted_at IS NULL AND product_id IS NOT NULL
                 GROUP BY product_id ORDER BY product_id LOOP
      UPDATE public.products SET on_hand = on_hand + moved.q, version = version + 1
      WHERE id = moved.product_id AND track_stock;
    END LOOP;
  ELSIF TG_TABLE_NAME = 'sales_returns' THEN
    FOR moved IN SELECT product_id, sum(quantity) AS q FROM public.sales_return_lines
                 WHERE return_id = NEW.id AND deleted_at IS NULL AND product_id IS NOT NULL
                 GROUP BY product_id ORDER BY product_id LOOP
      UPDATE public.products SET on_hand = on_hand + moved.q, version = version + 1
      WHERE id = moved.product_id AND track_stock;
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
"""
STOCK_TABLES = ("invoices", "sales_returns")
NUMBERED_TABLES = ("number_series", "quotes", "invoices", "sales_returns", "receipts", "contracts")


def install(conn: Connection) -> None:
    """Creates or replaces the functions and the stock triggers, then pins every function's path."""
    for block in (ACCESS, LOGIN, NUMBERING, STOCK):
        conn.exec_driver_sql(block)
    for table in NUMBERED_TABLES:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_numbers_match ON {table}")
        conn.exec_driver_sql(
            f"CREATE CONSTRAINT TRIGGER {table}_numbers_match AFTER INSERT OR UPDATE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION peyvand_counter_matches()"
        )
    for table in STOCK_TABLES:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_stock ON {table}")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_stock AFTER UPDATE OF state ON {table} FOR EACH ROW "
            "WHEN (OLD.state = 'draft' AND NEW.state = 'issued') EXECUTE FUNCTION peyvand_move_stock()"
        )
    pin_search_paths(conn)


def pin_search_paths(conn: Connection) -> None:
    """Every function of the public schema that no extension owns (migrations' trigger functions too,
    and any a later migration adds) gets the safe search_path."""
    conn.exec_driver_sql(
        f"""
DO $$ DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                             AND d.objid = p.oid AND d.deptype = 'e') LOOP
    EXECUTE 'ALTER FUNCTION ' || f::text || ' SET search_path = {SAFE_PATH}';
  END LOOP;
END $$"""
    )
