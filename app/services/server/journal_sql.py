"""The change journal on an office server: users' roles reach it only through one narrow function.

`change_log` is the feed the offline sync trusts, so a role may neither write nor rewrite it, nor move
`change_clock`. `peyvand_journal` takes the next number (the clock's row stays locked until COMMIT:
gapless and in commit order) and appends the transaction's rows stamped with the server's own idea of
the user (`peyvand_user_id()`, from the login) and the server's time, with a laptop change's own edit
time when the sync applies one; a device id registered to another user is refused (only an
administrator's role or the owner journals for any device). With no registered, non-revoked device it
writes nothing and returns NULL (app.services.core.journal: nobody reads the journal then), holding the
clock's row in shared mode so that a registration waits for the transaction. Installed by
app.services.server.security.install_row_security after its blanket grants, after the sync functions
(app.services.server.sync_sql) it calls.
"""

from __future__ import annotations

from sqlalchemy import Connection

from app.services.server.functions import SAFE_PATH

JOURNAL_FUNCTION = f"""
DROP FUNCTION IF EXISTS peyvand_journal(text, jsonb);
CREATE OR REPLACE FUNCTION peyvand_journal(device text, entries jsonb, edited_at timestamptz DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
DECLARE
  n bigint;
  device_uuid uuid;
BEGIN
  IF jsonb_typeof(entries) IS DISTINCT FROM 'array' OR jsonb_array_length(entries) = 0 THEN
    RAISE EXCEPTION 'journal entries must be a non-empty array' USING ERRCODE = '22023';
  END IF;
  -- A laptop's id may tag only its own user's changes: nobody passes theirs off as another's device.
  IF device ~* '^[0-9a-f]{{8}}-?([0-9a-f]{{4}}-?){{3}}[0-9a-f]{{12}}$' THEN
    device_uuid := device::uuid;
  END IF;
  IF EXISTS (SELECT 1 FROM public.sync_devices d WHERE d.id = device_uuid
             AND d.user_id IS DISTINCT FROM public.peyvand_user_id()) AND NOT public.peyvand_sync_admin() THEN
    RAISE EXCEPTION 'another user''s sync device' USING ERRCODE = 'insufficient_privilege', DETAIL = device;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.sync_devices WHERE revoked_at IS NULL) THEN
    PERFORM 1 FROM public.change_clock WHERE id = 1 FOR SHARE;
    -- Asked again after the lock (a new snapshot): a registration that committed meanwhile is seen.
    IF NOT EXISTS (SELECT 1 FROM public.sync_devices WHERE revoked_at IS NULL) THEN
      RETURN NULL;
    END IF;
  END IF;
  UPDATE public.change_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO n;
  INSERT INTO public.change_log (seq, ordinal, table_name, row_id, op, fields, user_id, device_id, at, edited_at)
  SELECT n, e.ordinal::integer, e.value->>'t', e.value->>'r', e.value->>'o', (e.value->'f')::json,
         public.peyvand_user_id(), left(device, 64), now(), COALESCE((e.value->>'e')::timestamptz, edited_at)
  FROM jsonb_array_elements(entries) WITH ORDINALITY AS e(value, ordinal);
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION peyvand_journal(text, jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION peyvand_journal(text, jsonb, timestamptz) TO peyvand_users;
"""
JOURNAL_TABLES = ("change_log", "change_clock")


def install_journal_access(conn: Connection, *groups: str) -> None:
    """Takes back what the blanket grants gave on the journal's tables; opens the one function."""
    conn.exec_driver_sql(JOURNAL_FUNCTION)
    for table in JOURNAL_TABLES:
        conn.exec_driver_sql(f"REVOKE ALL ON {table} FROM PUBLIC, {', '.join(groups)}")
