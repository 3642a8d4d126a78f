"""The office server's side of offline sync: a laptop's handshake, its batch ledger and pull cursor, and
which journal entries each user's role may read (shared/design/sync.md §2).

A laptop syncs over its user's own role. `sync_devices` (a device's secret) is readable by an
administrator and by the device's own user; `sync_batches` is written by nobody but these functions, each
of which acts only for the caller's own device (an administrator's role or the tables' owner for any):
`peyvand_sync_hello` (who is the hub, its schema and position, this device as the hub knows it),
`peyvand_sync_seen` (a batch's stored answer: a retry is answered, never applied twice),
`peyvand_sync_record` (a batch applied, in order: its number must follow the last one) and
`peyvand_sync_pulled` (the pull cursor, never backwards).

A rep's role reads `change_log` under row security: an entry is visible when its row is (the policy,
generated from the models' access declarations, checks the row by id in its own table, whose policy then
applies), a hard-deleted child's entry when its parent is. Installed by
app.services.server.security.install_row_security.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql

from app.models import Base
from app.services.core.access import GUARDED, _parent_of
from app.services.core.capture import FROM_OWNER
from app.services.core.journal import DEVICE_KEY
from app.services.server.functions import SAFE_PATH

SAFE = f"SET search_path = {SAFE_PATH}"
# Never copied to a laptop: their journal entries are for administrators' eyes only.
NOT_SYNCED = (
    "alembic_version",
    "audit_log",
    "change_clock",
    "change_log",
    "number_series",
    "sync_batches",
    "sync_devices",
    "sync_outbox",
    "sync_state",
)
_UUID_TEXT = "'^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$'"
_ADMIN = "peyvand_level() = 'admin'"

POLICIES = {
    "sync_devices": [
        f"FOR SELECT USING ({_ADMIN} OR user_id = peyvand_user_id())",
        f"USING ({_ADMIN}) WITH CHECK ({_ADMIN})",
    ],
    "sync_batches": [
        f"FOR SELECT USING ({_ADMIN} OR EXISTS (SELECT 1 FROM sync_devices d WHERE d.id = sync_batches.device_id"
        " AND d.user_id = peyvand_user_id()))",
    ],
}

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION peyvand_sync_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER {SAFE} AS $$
  SELECT coalesce(public.peyvand_level() = 'admin', false)
      OR pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'public.sync_devices'::regclass), 'USAGE')
$$;
CREATE OR REPLACE FUNCTION peyvand_sync_may(device_user uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
{SAFE} AS $$ SELECT coalesce(device_user = public.peyvand_user_id(), false) OR public.peyvand_sync_admin() $$;

CREATE OR REPLACE FUNCTION peyvand_sync_hello(device uuid) RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
{SAFE} AS $$
DECLARE
  d public.sync_devices;
  shown jsonb;
BEGIN
  SELECT * INTO d FROM public.sync_devices WHERE id = device;
  IF FOUND AND public.peyvand_sync_may(d.user_id) THEN
    shown := jsonb_build_object('code', d.code, 'name', d.name, 'user_id', d.user_id,
      'revoked', d.revoked_at IS NOT NULL, 'last_batch_no', d.last_batch_no, 'last_pull_seq', d.last_pull_seq);
    IF d.user_id = public.peyvand_user_id() THEN
      UPDATE public.sync_devices SET last_seen_at = now() WHERE id = device;
    END IF;
  END IF;
  RETURN jsonb_build_object(
    'hub_id', (SELECT value #>> '{{}}' FROM public.settings WHERE key = '{DEVICE_KEY}'),
    'schema', (SELECT version_num FROM public.alembic_version LIMIT 1),
    'seq', (SELECT seq FROM public.change_clock WHERE id = 1),
    'retention_seq', coalesce((SELECT (value #>> '{{}}')::bigint FROM public.settings
                               WHERE key = 'sync_retention_seq'), 0),
    'now', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
    'device', shown);
END $$;

CREATE OR REPLACE FUNCTION peyvand_sync_seen(device uuid, batch uuid) RETURNS jsonb LANGUAGE plpgsql STABLE
SECURITY DEFINER {SAFE} AS $$
BEGIN
  IF NOT public.peyvand_sync_may((SELECT d.user_id FROM public.sync_devices d WHERE d.id = device)) THEN
    RAISE EXCEPTION 'not your sync device' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN (SELECT b.result::jsonb FROM public.sync_batches b WHERE b.device_id = device AND b.batch_id = batch);
END $$;

CREATE OR REPLACE FUNCTION peyvand_sync_record(device uuid, batch_no bigint, batch uuid, result jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER {SAFE} AS $$
DECLARE
  d public.sync_devices;
BEGIN
  SELECT * INTO d FROM public.sync_devices WHERE id = device FOR UPDATE;
  IF NOT FOUND OR NOT public.peyvand_sync_may(d.user_id) THEN
    RAISE EXCEPTION 'not your sync device' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF d.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION 'sync device revoked' USING ERRCODE = 'insufficient_privilege', DETAIL = d.code;
  END IF;
  IF batch_no IS DISTINCT FROM d.last_batch_no + 1 THEN
    RAISE EXCEPTION 'out of order' USING ERRCODE = 'PVSYN',
      DETAIL = 'batch ' || batch_no || ' after batch ' || d.last_batch_no;
  END IF;
  INSERT INTO public.sync_batches (device_id, batch_no, batch_id, result, applied_at)
  VALUES (device, batch_no, batch, result::json, now());
  UPDATE public.sync_devices SET last_batch_no = batch_no, last_seen_at = now() WHERE id = device;
END $$;

CREATE OR REPLACE FUNCTION peyvand_sync_pulled(device uuid, seq bigint) RETURNS void LANGUAGE plpgsql VOLATILE
SECURITY DEFINER {SAFE} AS $$
BEGIN
  IF NOT public.peyvand_sync_may((SELECT d.user_id FROM public.sync_devices d WHERE d.id = device)) THEN
    RAISE EXCEPTION 'not your sync device' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE public.sync_devices SET last_pull_seq = greatest(last_pull_seq, seq), last_seen_at = now()
  WHERE id = device;
END $$;
"""
# The journal's policy names every synced table, so a plan reading it is big and its estimated cost high:
# compiling it (JIT) took a rep's read of 10,000 entries from 0.4 s to 54 s. An office's queries are
# small; none gains from JIT. Only the database's owner may set it (a mere schema owner leaves it).
NO_JIT = """DO $$ BEGIN
  EXECUTE 'ALTER DATABASE ' || quote_ident(current_database()) || ' SET jit = off';
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'jit stays on: reading the change journal under row security will be slow';
END $$"""
CALLED = (
    "peyvand_sync_hello(uuid)",
    "peyvand_sync_seen(uuid, uuid)",
    "peyvand_sync_record(uuid, bigint, uuid, jsonb)",
    "peyvand_sync_pulled(uuid, bigint)",
)
INTERNAL = ("peyvand_sync_admin()", "peyvand_sync_may(uuid)")


def _key(column, text: str) -> str:
    """SQL: `text` as the column's value; text that is no such value matches nothing (an entry's row id
    comes from a user's client: it must never make the policy fail)."""
    kind = column.type.compile(dialect=postgresql.dialect())
    if kind == "UUID":
        return f"(CASE WHEN {text} ~* {_UUID_TEXT} THEN ({text})::uuid END)"
    if kind.startswith(("VARCHAR", "TEXT")):
        return text
    raise ValueError(f"{column.table.name}.{column.name}: no journal visibility rule for a {kind} key")


def _row_check(table: Table, rules: list[str] | None) -> str:
    """SQL: the user may see this journal entry's row of `table` (whose policies are `rules`)."""
    row, fields = "change_log.row_id", "change_log.fields"
    if table.name == "settings":
        return f"{row} <> '{DEVICE_KEY}'"  # the office's own id is not a laptop's
    reads = [rule for rule in rules or [] if not rule.startswith("FOR ") or rule.startswith("FOR SELECT")]
    if rules is None or any(rule.removeprefix("FOR SELECT ").startswith("USING (true)") for rule in reads):
        return "true"  # every user reads every row of it
    keys = list(table.primary_key.columns)
    if len(keys) > 1:  # a link row "a|b" (journal._row_key): visible with its guarded side
        guarded = {cls.__tablename__ for cls in GUARDED}
        parts = [_key(column, f"split_part({row}, '|', {n})") for n, column in enumerate(keys, start=1)]
        checks = [
            f"EXISTS (SELECT 1 FROM {fk.column.table.name} p WHERE p.id = {part})"
            for part, column in zip(parts, keys, strict=True)
            for fk in column.foreign_keys
            if fk.column.table.name in guarded
        ]
        return " OR ".join(checks) or "false"
    (key,) = keys
    check = f"EXISTS (SELECT 1 FROM {table.name} x WHERE x.{key.name} = {_key(key, row)})"
    cls = next((c for c in GUARDED if c.__tablename__ == table.name), None)
    if cls is not None and getattr(cls, "__owner_attr__", None):  # handed away from the user: they hear of it
        former = _key(key, f"{fields}->>'{FROM_OWNER}'")
        check += f" OR {former} = ANY((SELECT peyvand_owners())::uuid[])"
    if cls is not None and getattr(cls, "__access_parent__", None):
        parent, column = _parent_of(cls), table.c[cls.__access_parent__]
        check += (
            f" OR (change_log.op = 'delete' AND EXISTS (SELECT 1 FROM {parent.__tablename__} p"
            f" WHERE p.id = {_key(column, f'{fields}->>{column.name!r}')}))"
        )
    return check


def journal_policy(policies: dict[str, list[str]]) -> str:
    """change_log's read policy: an administrator reads every entry, anyone else the entries of rows they
    may see (each table's own row security decides inside its EXISTS: a user who sees every record still
    sees only their own read marks, and others' notes only where they follow). One CASE in the policy, not
    a function per entry: the tables' policies then run their access functions once per query, not once
    per entry."""
    branches = " ".join(
        f"WHEN '{table.name}' THEN {_row_check(table, policies.get(table.name))}"
        for table in Base.metadata.sorted_tables
        if table.name not in NOT_SYNCED
    )
    return f"FOR SELECT USING ({_ADMIN} OR CASE table_name {branches} ELSE false END)"


def install(conn: Connection, *groups: str) -> None:
    """The sync functions and the journal's read access (run after the blanket grants; `groups`: the
    users' group first, then the administrators')."""
    users = groups[0]
    conn.exec_driver_sql(FUNCTIONS)
    for signature in (*CALLED, *INTERNAL):
        conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    for signature in CALLED:
        conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {signature} TO {users}")
    conn.exec_driver_sql(f"GRANT SELECT ON change_log TO {users}")
    conn.exec_driver_sql(NO_JIT)
    conn.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON sync_batches FROM {', '.join(groups)}")
