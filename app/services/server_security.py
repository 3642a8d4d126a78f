"""Access inside PostgreSQL: one role per Peyvand user and row-level security for the three levels.

The policies are generated from the same declarations as the app's own policy (app.services.access:
`__owner_attr__`, `__access_parent__`, `__admin_managed__`), so a user connecting with their own
credentials through any other client sees and changes exactly what the app lets them. Issued invoices
and returns are refused by a trigger for every role, the owner included.

Run `install_row_security` as the database owner after every migration (`server init` does).
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, Table, text

from app.models import Base
from app.services.access import ADMIN_MANAGED, CHILDREN, OWNED, _parent_of
from app.services.errors import ValidationFailed

GROUP = "peyvand_users"
ADMIN_GROUP = "peyvand_admins"  # administrators: also full UPDATE on the stock-moving columns' tables
# Issuing an invoice or a return moves stock, whoever issues it: these columns of an admin-managed
# table are open to every user (app.services.documents.stock does it in one relative UPDATE).
OPEN_COLUMNS = {"products": ("on_hand", "version")}
ROLE_PREFIX = "pv_"
_LOGIN = re.compile(r"^[a-z0-9_.-]{1,48}$")

# session_user, not current_user: inside a SECURITY DEFINER function current_user is its owner.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION peyvand_user_id() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $$
  SELECT id FROM users WHERE 'pv_' || lower(login) = session_user AND is_active $$;
CREATE OR REPLACE FUNCTION peyvand_level() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $$ SELECT access_level FROM users WHERE id = peyvand_user_id() $$;
CREATE OR REPLACE FUNCTION peyvand_sees_all() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public AS $$ SELECT coalesce(peyvand_level() IN ('admin', 'all'), false) $$;
CREATE OR REPLACE FUNCTION peyvand_owners() RETURNS uuid[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $$
  SELECT array_append(coalesce(array_agg(u.id), '{}'), peyvand_user_id())
  FROM users u JOIN sales_teams t ON t.id = u.team_id
  WHERE t.leader_id = peyvand_user_id() AND t.deleted_at IS NULL $$;
CREATE OR REPLACE FUNCTION peyvand_follows(tbl text, rid uuid) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM followers WHERE user_id = peyvand_user_id() AND record_table = tbl
                 AND record_id = rid) $$;
CREATE OR REPLACE FUNCTION peyvand_refuse_issued_change() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public AS $$
DECLARE locked boolean := false;
BEGIN
  -- Each table in its own branch: PL/pgSQL resolves record fields even where a test cannot apply.
  IF TG_TABLE_NAME IN ('invoices', 'sales_returns') THEN
    locked := OLD.state = 'issued';
  ELSIF TG_TABLE_NAME = 'invoice_lines' THEN
    locked := EXISTS (SELECT 1 FROM invoices WHERE state = 'issued' AND id IN (
      CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END,
      CASE WHEN TG_OP = 'UPDATE' THEN NEW.invoice_id END));
  ELSIF TG_TABLE_NAME = 'sales_return_lines' THEN
    locked := EXISTS (SELECT 1 FROM sales_returns WHERE state = 'issued' AND id IN (
      CASE WHEN TG_OP = 'INSERT' THEN NEW.return_id ELSE OLD.return_id END,
      CASE WHEN TG_OP = 'UPDATE' THEN NEW.return_id END));
  END IF;
  IF locked THEN
    RAISE EXCEPTION 'issued documents cannot be changed' USING ERRCODE = 'P0001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
"""
IMMUTABLE_TABLES = ("invoices", "invoice_lines", "sales_returns", "sales_return_lines")


def _visible(cls) -> str:
    """SQL: the current role may see this row of `cls` (the same rule as app.services.access)."""
    table = cls.__tablename__
    parts = ["peyvand_sees_all()"]
    if getattr(cls, "__owner_attr__", None):
        owner = cls.__table__.c[cls.__owner_attr__].name
        parts += [f"{owner} = ANY(peyvand_owners())", f"peyvand_follows('{table}', id)"]
    if getattr(cls, "__access_parent__", None):
        parent = _parent_of(cls)
        fk = cls.__table__.c[cls.__access_parent__].name
        # The parent's own policy applies inside this subquery: visible parent, visible child.
        parts.append(f"EXISTS (SELECT 1 FROM {parent.__tablename__} p WHERE p.id = {table}.{fk})")
    return " OR ".join(parts)


def _association_rule(table: Table) -> str | None:
    guarded = {cls.__tablename__ for cls in OWNED + CHILDREN}
    checks = [
        f"EXISTS (SELECT 1 FROM {fk.column.table.name} p WHERE p.id = {table.name}.{fk.parent.name})"
        for fk in table.foreign_keys
        if fk.column.table.name in guarded
    ]
    return " OR ".join(["peyvand_sees_all()", *checks]) if checks else None


SPECIAL = {
    "audit_log": [
        "FOR SELECT USING (peyvand_level() = 'admin' OR user_id = peyvand_user_id())",
        "FOR INSERT WITH CHECK (user_id IS NOT DISTINCT FROM peyvand_user_id())",
    ],
    "number_series": ["USING (true) WITH CHECK (true)"],
    "followers": [
        "FOR SELECT USING (true)",
        "FOR INSERT WITH CHECK (peyvand_sees_all() OR user_id = peyvand_user_id())",
        "FOR DELETE USING (peyvand_sees_all() OR user_id = peyvand_user_id())",
    ],
    "recent_records": ["USING (user_id = peyvand_user_id()) WITH CHECK (user_id = peyvand_user_id())"],
    "merges": ["USING (true) WITH CHECK (true)"],
    "attachment_blobs": [
        "FOR SELECT USING (EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = attachment_blobs.sha256))",
        "FOR INSERT WITH CHECK (true)",
    ],
}


def _policies() -> dict[str, list[str]]:
    by_table = {cls.__tablename__: cls for cls in OWNED + CHILDREN + ADMIN_MANAGED}
    policies: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        cls = by_table.get(table.name)
        if table.name in SPECIAL:
            policies[table.name] = SPECIAL[table.name]
        elif cls in ADMIN_MANAGED:
            policies[table.name] = [
                "FOR SELECT USING (true)",
                "USING (peyvand_level() = 'admin') WITH CHECK (peyvand_level() = 'admin')",
            ]
            if table.name in OPEN_COLUMNS:  # the column grants below limit what this lets through
                policies[table.name].append("FOR UPDATE USING (true) WITH CHECK (true)")
        elif cls is not None:
            rule = _visible(cls)
            policies[table.name] = [f"USING ({rule}) WITH CHECK ({rule})"]
        elif (rule := _association_rule(table)) is not None:
            policies[table.name] = [f"USING ({rule}) WITH CHECK ({rule})"]
    return policies


def install_row_security(conn: Connection) -> None:
    """Creates the group role, functions, grants, policies and the issued-document trigger (idempotent)."""
    for group in (GROUP, ADMIN_GROUP):
        conn.exec_driver_sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{group}') "
            f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
        )
    conn.exec_driver_sql(FUNCTIONS)
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {GROUP}")
    conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {GROUP}")
    conn.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {GROUP}")
    for table, columns in OPEN_COLUMNS.items():
        conn.exec_driver_sql(f"REVOKE UPDATE ON {table} FROM {GROUP}")
        conn.exec_driver_sql(f"GRANT UPDATE ({', '.join(columns)}) ON {table} TO {GROUP}")
        conn.exec_driver_sql(f"GRANT UPDATE ON {table} TO {ADMIN_GROUP}")
    for table, rules in _policies().items():
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        existing = conn.execute(
            text("SELECT policyname FROM pg_policies WHERE tablename = :t AND starts_with(policyname, 'pv_')"),
            {"t": table},
        ).scalars()
        for name in list(existing):
            conn.exec_driver_sql(f"DROP POLICY {name} ON {table}")
        for index, rule in enumerate(rules):
            command, rest = (
                ("", rule) if not rule.startswith("FOR ") else (rule[: rule.index(" ", 4)], rule[rule.index(" ", 4) :])
            )
            conn.exec_driver_sql(f"CREATE POLICY pv_{index} ON {table} {command} TO {GROUP} {rest}")
    for table in IMMUTABLE_TABLES:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_issued ON {table}")
        events = "INSERT OR UPDATE OR DELETE" if table.endswith("lines") else "UPDATE OR DELETE"
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_issued BEFORE {events} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION peyvand_refuse_issued_change()"
        )


def role_name(login: str) -> str:
    login = login.lower()
    if not _LOGIN.fullmatch(login):
        raise ValidationFailed({"login": "نام کاربری برای سرور فقط می‌تواند حروف لاتین، رقم و . _ - داشته باشد."})
    return ROLE_PREFIX + login


def set_user_role(conn: Connection, login: str, password: str | None, active: bool = True, admin: bool = False) -> None:
    """Creates or updates the user's login role (password given: set it; inactive: NOLOGIN)."""
    from psycopg import sql

    role = role_name(login)
    raw = conn.connection.driver_connection
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None
    verb = "ALTER" if exists else "CREATE"
    # An administrator's role may create and disable the other users' roles from the users screen.
    options = ("LOGIN" if active else "NOLOGIN") + (" CREATEROLE" if admin else " NOCREATEROLE")
    statement = sql.SQL(verb + " ROLE {} " + options).format(sql.Identifier(role))
    if password is not None:
        statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
    conn.exec_driver_sql(statement.as_string(raw))
    conn.exec_driver_sql(sql.SQL("GRANT {} TO {}").format(sql.Identifier(GROUP), sql.Identifier(role)).as_string(raw))
    grant = "GRANT {} TO {}" if admin else "REVOKE {} FROM {}"
    conn.exec_driver_sql(sql.SQL(grant).format(sql.Identifier(ADMIN_GROUP), sql.Identifier(role)).as_string(raw))
