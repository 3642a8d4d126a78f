"""Access inside PostgreSQL: one role per Peyvand user and row-level security for the three levels.

The policies are generated from the same declarations as the app's own policy (app.services.core.access:
`__owner_attr__`, `__access_parent__`, `__admin_managed__`), so a user connecting with their own
credentials through any other client sees and changes exactly what the app lets them. Issued invoices
and returns are refused by a trigger for every role, the owner included; counters and stock change
only through the server's functions (app.services.server.functions).

Run `install_row_security` as the database owner after every migration (`server init` does).
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, Table, text

from app.models import Base, SavedSearch, User
from app.persian import format_number
from app.services.activities.messages import RECORDS
from app.services.core.access import ADMIN_MANAGED, CHILDREN, OWNED, _parent_of
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.server import card_customers, customers, functions, journal_sql, search_sql, search_walk, sync_sql

GROUP = "peyvand_users"
ADMIN_GROUP = "peyvand_admins"  # administrators: also the password hashes of users
# Written by reps' roles only through the server's functions (app.services.server.functions).
COUNTER_TABLES = ("number_series",)
# Updated by administrators' roles only: stock moves by issuing documents (functions.STOCK).
ADMIN_UPDATED = ("products",)
# The one column of a rule a non-administrator's role may write: the turn (app.services.admin.assignment).
ASSIGNMENT_TURN = ("assignment_rules", "next_turn")
APPEND_ONLY = ("assignment_log",)
ROLE_PREFIX = "pv_"
_LOGIN = re.compile(r"^[a-z0-9_.-]{1,48}$")

IMMUTABLE_TABLES = (
    "invoices",
    "invoice_lines",
    "sales_returns",
    "sales_return_lines",
    "contracts",
    "contract_lines",
    "contract_instalments",
)


def _visible(cls) -> str:
    """SQL: the current role may see this row of `cls` (the same rule as app.services.core.access)."""
    table = cls.__tablename__
    parts = ["peyvand_sees_all()"]
    if getattr(cls, "__owner_attr__", None):
        owner = cls.__table__.c[cls.__owner_attr__].name
        parts += [f"{owner} = ANY(peyvand_owners())", f"id IN (SELECT peyvand_followed('{table}'))"]
    if getattr(cls, "__access_parent__", None):
        parent = _parent_of(cls)
        fk = cls.__table__.c[cls.__access_parent__].name
        # The parent's own policy applies inside this subquery: visible parent, visible child.
        parts.append(f"EXISTS (SELECT 1 FROM {parent.__tablename__} p WHERE p.id = {table}.{fk})")
    return " OR ".join(parts)


# A policy's call of an access function is evaluated for every row it filters (STABLE functions are
# not cached); as a scalar subquery it is an InitPlan, run once per query (a rep's count of 10,000
# identities: 2.9 s, then 26 ms).
_ACCESS_CALL = re.compile(r"(?<!SELECT )\bpeyvand_(sees_all|level|user_id|owners)\(\)")


def once_per_query(rule: str) -> str:
    """The rule with each access function call wrapped to run once per query (the owners' array cast,
    so that `= ANY(...)` reads it as one array, not as a subquery's rows)."""

    def wrap(call: re.Match) -> str:
        name = call.group(1)
        return "((SELECT peyvand_owners())::uuid[])" if name == "owners" else f"(SELECT peyvand_{name}())"

    return _ACCESS_CALL.sub(wrap, rule)


def _association_rule(table: Table) -> str | None:
    guarded = {cls.__tablename__ for cls in OWNED + CHILDREN}
    checks = [
        f"EXISTS (SELECT 1 FROM {fk.column.table.name} p WHERE p.id = {table.name}.{fk.parent.name})"
        for fk in table.foreign_keys
        if fk.column.table.name in guarded
    ]
    return " OR ".join(["peyvand_sees_all()", *checks]) if checks else None


# An administrator importing a laptop's sync file (app.services.sync.bundle_office) applies its changes in
# the laptop user's name: the rows each user writes only as themselves admit the administrator too.
FOR_ANOTHER = "peyvand_level() = 'admin'"
_OWN_ROWS = (
    f"USING (user_id = peyvand_user_id() OR {FOR_ANOTHER}) WITH CHECK (user_id = peyvand_user_id() OR {FOR_ANOTHER})"
)

SPECIAL = {
    "audit_log": [
        "FOR SELECT USING (peyvand_level() = 'admin' OR user_id = peyvand_user_id())",
        f"FOR INSERT WITH CHECK (user_id IS NOT DISTINCT FROM peyvand_user_id() OR {FOR_ANOTHER})",
    ],
    "number_series": ["FOR SELECT USING (true)"],
    # Shared labels: everyone reads them and adds their own; renaming or removing one (it may label
    # other reps' records) is the administrator's.
    "tags": [
        "FOR SELECT USING (true)",
        "FOR INSERT WITH CHECK (created_by IS NOT DISTINCT FROM peyvand_user_id())",
        "USING (peyvand_level() = 'admin') WITH CHECK (peyvand_level() = 'admin')",
    ],
    "recent_records": [_OWN_ROWS],
    "stage_folds": [_OWN_ROWS],
    "merges": ["USING (true) WITH CHECK (true)"],
    "message_reads": [_OWN_ROWS],
    # A message's file is read with the message and added by its author; never changed.
    "message_files": [
        "FOR SELECT USING (EXISTS (SELECT 1 FROM messages m WHERE m.id = message_files.message_id))",
        "FOR INSERT WITH CHECK (EXISTS (SELECT 1 FROM messages m WHERE m.id = message_files.message_id"
        f" AND (m.author_id = peyvand_user_id() OR {FOR_ANOTHER})))",
    ],
    # Lead assignment: the rules are the administrator's; a creator who may hand records to others (all
    # documents) moves a rule's turn (column next_turn alone, see ASSIGNMENT_TURN) and logs in their own
    # name; nobody changes or deletes the log. A rep sees what was assigned to them or by them.
    "assignment_rules": [
        "FOR SELECT USING (true)",
        "FOR INSERT WITH CHECK (peyvand_level() = 'admin')",
        "FOR DELETE USING (peyvand_level() = 'admin')",
        "FOR UPDATE USING (peyvand_sees_all()) WITH CHECK (peyvand_sees_all())",
    ],
    "assignment_log": [
        "FOR SELECT USING (peyvand_sees_all() OR user_id = peyvand_user_id() OR assigned_by = peyvand_user_id())",
        "FOR INSERT WITH CHECK (peyvand_sees_all() AND assigned_by IS NOT DISTINCT FROM peyvand_user_id()"
        f" OR {FOR_ANOTHER})",
    ],
    "attachment_blobs": [
        "FOR SELECT USING (EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = attachment_blobs.sha256)"
        " OR EXISTS (SELECT 1 FROM message_files f WHERE f.sha256 = attachment_blobs.sha256))",
        "FOR INSERT WITH CHECK (true)",
    ],
    **sync_sql.POLICIES,  # the device registry and the batch ledger
}


def _followers() -> list[str]:
    """Following shares a record the rep can already see; it never opens one (else any id seen in an
    activity would make a colleague's customer readable and editable). A rep adds or removes as a
    follower themselves, their team's members, or a colleague who sees the record anyway (access.seers)."""
    visible = " OR ".join(
        f"(record_table = '{cls.__tablename__}' AND EXISTS (SELECT 1 FROM {cls.__tablename__} p"
        " WHERE p.id = followers.record_id))"
        for cls in OWNED
    )
    led = (
        f"SELECT m.user_id FROM {functions.MEMBERSHIPS} m JOIN sales_teams t ON t.id = m.team_id"
        " WHERE t.leader_id = followers.user_id AND t.deleted_at IS NULL"
    )
    owned = " OR ".join(
        f"(record_table = '{cls.__tablename__}' AND EXISTS (SELECT 1 FROM {cls.__tablename__} p"
        f" WHERE p.id = followers.record_id AND (p.{_owner_column(cls)} = followers.user_id"
        f" OR p.{_owner_column(cls)} IN ({led}))))"
        for cls in OWNED
    )
    sees = (
        "EXISTS (SELECT 1 FROM users u WHERE u.id = followers.user_id AND u.is_active"
        f" AND (u.access_level IN ('admin', 'all') OR {owned}))"
    )
    shares = f"(user_id = ANY(peyvand_owners()) OR {sees})"
    return [
        "FOR SELECT USING (true)",
        f"FOR INSERT WITH CHECK (peyvand_sees_all() OR ({shares} AND ({visible})))",
        f"FOR DELETE USING (peyvand_sees_all() OR user_id = peyvand_user_id() OR ({shares} AND ({visible})))",
    ]


def _messages() -> list[str]:
    """A message is read by every user; a note by its author and by the record's followers who may see
    the record (the record's own policy applies in the subquery). Written on a record one sees, as
    oneself; changed (a soft delete too) by its author alone; never deleted by a user's role."""
    record = " ".join(
        f"WHEN '{table}' THEN EXISTS (SELECT 1 FROM {table} p WHERE p.id = messages.record_id)" for table in RECORDS
    )
    sees_record = f"(CASE record_table {record} ELSE false END)"
    follows = (
        "EXISTS (SELECT 1 FROM followers f WHERE f.user_id = peyvand_user_id()"
        " AND f.record_table = messages.record_table AND f.record_id = messages.record_id)"
    )
    author = "author_id = peyvand_user_id()"
    # Whoever sees the record may move a message with it (an identity merge); what it says, who wrote
    # it and whether it is removed are the author's alone (MESSAGE_GUARD).
    return [
        f"FOR SELECT USING (kind = 'message' OR {author} OR ({follows} AND {sees_record}))",
        f"FOR INSERT WITH CHECK ({author} AND {sees_record})",
        f"FOR UPDATE USING ({author} OR {sees_record}) WITH CHECK ({sees_record})",
    ]


MESSAGE_GUARD = f"""CREATE OR REPLACE FUNCTION peyvand_message_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = {functions.SAFE_PATH} AS $$
BEGIN
  IF starts_with(session_user, 'pv_') AND (NEW.author_id IS DISTINCT FROM OLD.author_id
     OR NEW.kind IS DISTINCT FROM OLD.kind
     OR ((NEW.body IS DISTINCT FROM OLD.body OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at)
         AND OLD.author_id IS DISTINCT FROM peyvand_user_id())) THEN
    RAISE EXCEPTION 'only the author changes a message' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$"""


def _saved_searches() -> list[str]:
    """A favourite: read as any owned row, and by the members of the team it is shared with (whether it
    is their main team or another); written by its owner alone (a teammate or the team's leader only
    reads it), shared only with the owner's main team."""
    own_team = "(SELECT u.team_id FROM users u WHERE u.id = peyvand_user_id())"
    own_teams = f"(SELECT m.team_id FROM {functions.MEMBERSHIPS} m WHERE m.user_id = peyvand_user_id())"
    writer = "peyvand_sees_all() OR user_id = peyvand_user_id()"
    return [
        f"FOR SELECT USING ({_visible(SavedSearch)} OR team_id IN {own_teams})",
        f"USING ({writer}) WITH CHECK (peyvand_sees_all() OR (user_id = peyvand_user_id()"
        f" AND (team_id IS NULL OR team_id = {own_team})))",
    ]


def _owner_column(cls) -> str:
    return cls.__table__.c[cls.__owner_attr__].name


def _policies() -> dict[str, list[str]]:
    by_table = {cls.__tablename__: cls for cls in OWNED + CHILDREN + ADMIN_MANAGED}
    policies: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        cls = by_table.get(table.name)
        if table.name in SPECIAL:
            policies[table.name] = SPECIAL[table.name]
        elif table.name == "followers":
            policies[table.name] = _followers()
        elif table.name == "saved_searches":
            policies[table.name] = _saved_searches()
        elif table.name == "messages":
            policies[table.name] = _messages()
        elif cls in ADMIN_MANAGED:
            policies[table.name] = [
                "FOR SELECT USING (true)",
                "USING (peyvand_level() = 'admin') WITH CHECK (peyvand_level() = 'admin')",
            ]
        elif cls is not None:
            rule = _visible(cls)
            policies[table.name] = [f"USING ({rule}) WITH CHECK ({rule})"]
        elif (rule := _association_rule(table)) is not None:
            policies[table.name] = [f"USING ({rule}) WITH CHECK ({rule})"]
    policies["change_log"] = [sync_sql.journal_policy(policies)]  # the entries of the rows one may see
    strict = customers.strict(policies, _visible)  # a record's customer, read-only (docs/access.md)
    return {table: [once_per_query(rule) for rule in rules] for table, rules in strict.items()}


def install_row_security(conn: Connection) -> None:
    """Creates the group role, functions, grants, policies and the issued-document trigger (idempotent)."""
    for group in (GROUP, ADMIN_GROUP):
        conn.exec_driver_sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{group}') "
            f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
        )
    functions.install(conn)
    customers.install(conn)  # peyvand_customers(), read by the identities' read-only policy
    # No temporary tables (they would be searched before public by careless SQL) and no objects of
    # one's own in the schema.
    conn.exec_driver_sql(
        "DO $$ BEGIN EXECUTE 'REVOKE TEMPORARY ON DATABASE ' || quote_ident(current_database())"
        f" || ' FROM PUBLIC, {GROUP}'; END $$"
    )
    conn.exec_driver_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {GROUP}")
    conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {GROUP}")
    for table in ("alembic_version", *COUNTER_TABLES):
        conn.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {GROUP}")
    # --- change journal (app.services.server.journal_sql): no direct access, one narrow function ---
    journal_sql.install_journal_access(conn, GROUP, ADMIN_GROUP)
    sync_sql.install(conn, GROUP, ADMIN_GROUP)  # the sync functions; the journal read under its policy
    # Password hashes are for administrators' roles only; a user's own hash reaches the login check
    # through peyvand_own_password_hash() (functions.LOGIN).
    visible = ", ".join(c.name for c in User.__table__.columns if c.name != "password_hash")
    conn.exec_driver_sql(f"REVOKE SELECT ON users FROM {GROUP}")
    conn.exec_driver_sql(f"GRANT SELECT ({visible}) ON users TO {GROUP}")
    conn.exec_driver_sql(f"GRANT SELECT ON users TO {ADMIN_GROUP}")
    for table in ADMIN_UPDATED:
        conn.exec_driver_sql(f"REVOKE UPDATE ON {table} FROM {GROUP}")
        conn.exec_driver_sql(f"GRANT UPDATE ON {table} TO {ADMIN_GROUP}")
    table, column = ASSIGNMENT_TURN
    conn.exec_driver_sql(f"REVOKE UPDATE ON {table} FROM {GROUP}")
    conn.exec_driver_sql(f"GRANT UPDATE ({column}) ON {table} TO {GROUP}")
    conn.exec_driver_sql(f"GRANT UPDATE ON {table} TO {ADMIN_GROUP}")
    for table in APPEND_ONLY:
        conn.exec_driver_sql(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {GROUP}")
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
    search_sql.install(conn, GROUP)  # inlines the identities' read policies just made
    search_walk.install(conn, GROUP)  # and again
    card_customers.install(conn, GROUP)  # and the opportunities'
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS peyvand_follows(text, uuid)")  # before peyvand_followed
    # The journal's first policy called a function per entry (now one CASE in the policy itself).
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS peyvand_row_visible(text, text, text, json), peyvand_uuid(text)")
    # A table without row security (a later migration's journal or counter, say) is never writable by
    # users' roles behind the app's back: they reach it through a narrow function, if at all.
    conn.exec_driver_sql(
        "DO $$ DECLARE t regclass; BEGIN FOR t IN SELECT c.oid::regclass FROM pg_class c"
        " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity LOOP"
        f" EXECUTE 'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ' || t::text || ' FROM {GROUP}'; END LOOP; END $$"
    )
    conn.exec_driver_sql(MESSAGE_GUARD)
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS messages_author ON messages")
    conn.exec_driver_sql(
        "CREATE TRIGGER messages_author BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION peyvand_message_guard()"
    )
    for table in IMMUTABLE_TABLES:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_issued ON {table}")
        header = table in ("invoices", "sales_returns", "contracts")  # a child row is refused on insert too
        events = "UPDATE OR DELETE" if header else "INSERT OR UPDATE OR DELETE"
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_issued BEFORE {events} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION peyvand_refuse_issued_change()"
        )


ROLE_LOGIN_MAX = 48  # PostgreSQL names are at most 63 bytes; pv_ + 48 leaves room
_IN_USE = "این نام کاربری روی سرور از پیش وجود دارد (نقش {role})؛ نام دیگری برگزینید."
_NO_RIGHT = (
    "حساب فعلی سرور اجازه ساختن و تغییر حساب‌های سرور را ندارد؛ "
    "برای مدیریت کاربران با حساب سرور یک مدیر به سرور وصل شوید."
)


def role_name(login: str) -> str:
    """pv_<login>: the PostgreSQL role of a Peyvand user. Raises ValidationFailed (field "login")
    for a login that cannot be a role name."""
    login = login.lower()
    if len(login) > ROLE_LOGIN_MAX:
        raise ValidationFailed({"login": f"نام کاربری روی سرور حداکثر {format_number(ROLE_LOGIN_MAX)} نویسه است."})
    if not _LOGIN.fullmatch(login):
        raise ValidationFailed({"login": "نام کاربری برای سرور فقط می‌تواند حروف لاتین، رقم و . _ - داشته باشد."})
    return ROLE_PREFIX + login


def role_exists(conn: Connection, login: str) -> bool:
    role = role_name(login)
    return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None


def _run(conn: Connection, statement) -> None:
    """Runs role DDL; a connection without CREATEROLE gets a Persian refusal (the transaction is then
    rolled back by the caller, user row and role together)."""
    import psycopg
    from sqlalchemy.exc import DBAPIError

    try:
        conn.exec_driver_sql(statement.as_string(conn.connection.driver_connection))
    except DBAPIError as exc:
        if isinstance(exc.orig, psycopg.errors.InsufficientPrivilege):
            raise ServiceError(_NO_RIGHT) from exc
        raise


def _scram(conn: Connection, role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password`, computed here by libpq: the plain password never
    travels in an SQL statement (nor reaches a server log); PostgreSQL stores only the verifier."""
    pgconn = conn.connection.driver_connection.pgconn
    return pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()


def set_user_role(conn: Connection, login: str, password: str | None, active: bool = True, admin: bool = False) -> None:
    """Creates or updates the user's login role (password given: set it; inactive: NOLOGIN).

    Role DDL is transactional in PostgreSQL: run it on the connection of the transaction that
    writes the user row and a refused save leaves no role behind. A Peyvand role of that name left
    on the server (roles belong to the whole server, not to one database) is taken over; any other
    account of that name is refused. Raises ValidationFailed (field "login") for a login that cannot
    be a role or names another account, ServiceError when the connection may not manage roles."""
    from psycopg import sql

    role = role_name(login)
    if _foreign(conn, login):
        raise ValidationFailed({"login": _IN_USE.format(role=role)})
    verb = "ALTER" if role_exists(conn, login) else "CREATE"
    # An administrator's role may create and disable the other users' roles from the users screen.
    options = ("LOGIN" if active else "NOLOGIN") + (" CREATEROLE" if admin else " NOCREATEROLE")
    statement = sql.SQL(verb + " ROLE {} " + options).format(sql.Identifier(role))
    if password is not None:
        statement += sql.SQL(" PASSWORD {}").format(sql.Literal(_scram(conn, role, password)))
    _run(conn, statement)
    _run(conn, sql.SQL("GRANT {} TO {}").format(sql.Identifier(GROUP), sql.Identifier(role)))
    grant = "GRANT {} TO {}" if admin else "REVOKE {} FROM {}"
    _run(conn, sql.SQL(grant).format(sql.Identifier(ADMIN_GROUP), sql.Identifier(role)))


def _foreign(conn: Connection, login: str) -> bool:
    """True when a role of this name exists and is not a Peyvand user's (not in peyvand_users, or a
    superuser): some other account of the server, never taken over."""
    row = conn.execute(
        text(
            "SELECT r.rolsuper OR NOT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
            " WHERE m.member = r.oid AND g.rolname = :g) FROM pg_roles r WHERE r.rolname = :r"
        ),
        {"r": role_name(login), "g": GROUP},
    ).first()
    return row is not None and row[0]


def rename_user_role(conn: Connection, old_login: str, new_login: str) -> None:
    """Follows a changed login (the role keeps its SCRAM password and memberships). Refused for the
    role this connection is logged in as (PostgreSQL cannot rename the session's own user) and when
    the new name is another account of the server; a Peyvand role of that name left on the server
    (no user of this database has the login) is replaced. A user without a role has nothing to rename."""
    from psycopg import sql

    old, new = role_name(old_login), role_name(new_login)
    if old == new or not role_exists(conn, old_login):
        return
    if conn.execute(text("SELECT session_user")).scalar_one() == old:
        raise ValidationFailed(
            {"login": "نام کاربری حسابی که اکنون با آن به سرور وصل هستید تغییر نمی‌کند؛ از حساب مدیر دیگری بخواهید."}
        )
    if _foreign(conn, new_login):
        raise ValidationFailed({"login": _IN_USE.format(role=new)})
    if role_exists(conn, new_login):  # a Peyvand role left on the server: the renamed user's replaces it
        _run(conn, sql.SQL("DROP ROLE {}").format(sql.Identifier(new)))
    _run(conn, sql.SQL("ALTER ROLE {} RENAME TO {}").format(sql.Identifier(old), sql.Identifier(new)))


_session_roles: dict = {}  # database URL (its user included) → the login's role: asked once per process


def session_role(conn: Connection) -> str | None:
    """The Peyvand user role this connection is logged in as (pv_<login>), or None for any other
    account (the database owner, a superuser)."""
    url = conn.engine.url
    if url not in _session_roles:
        _session_roles[url] = conn.execute(text("SELECT session_user")).scalar_one()
    role = _session_roles[url]
    return role if role.startswith(ROLE_PREFIX) else None


def on_own_role(conn: Connection) -> bool:
    """True on a server connection logged in as a Peyvand user's own role: counters and stock are
    then written by the server's functions (app.services.server.functions), not by the app."""
    return conn.dialect.name == "postgresql" and session_role(conn) is not None


def own_password_hash(conn: Connection) -> str | None:
    """The session user's own password hash (their role may not read the column itself)."""
    return conn.execute(text("SELECT peyvand_own_password_hash()")).scalar()


def usable_admins(conn: Connection) -> int:
    """How many active administrators can log in, counted for a role that may not read the hashes."""
    return conn.execute(text("SELECT peyvand_usable_admins()")).scalar_one()


def record_login(conn: Connection, failed: int, locked_until, last_login_at) -> None:
    """Stores a login attempt's outcome on the session user's own row (see functions.LOGIN)."""
    conn.execute(text("SELECT peyvand_record_login(:f, :l, :a)"), {"f": failed, "l": locked_until, "a": last_login_at})
