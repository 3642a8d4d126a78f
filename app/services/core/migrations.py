"""Schema migrations (Alembic), run in-process at start-up and by the admin commands.

A SQLite file is backed up (online backup API, verified) before any migration touches it.
Alembic is imported only when a migration is due: it costs a third of a second at start-up.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from app.services.admin.backup import backup_database, default_backups_dir
from app.services.core.database import Database

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# The newest revision in app/migrations/versions; a test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0025_identity_code_indexes"
# Tables made by raw DDL in migrations, not by models (the FTS5 index and its shadow tables).
UNMODELLED_PREFIXES = ("identity_search",)


def is_modelled(name: str | None, type_: str, _parent_names) -> bool:
    """Alembic's include_name hook: autogenerate and comparisons skip what raw DDL made."""
    from app.migrations.raw_ddl import UNMODELLED_INDEXES

    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(UNMODELLED_PREFIXES)
    return not (type_ == "index" and name in UNMODELLED_INDEXES)


def _config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    """Alembic's own view of the newest revision (reads the scripts)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(db: Database, backups_dir: Path | None = None) -> bool:
    """Bring the schema to head; returns True when a migration ran.

    An existing, non-empty SQLite file is backed up first ("pre-migration" copy).
    """
    current = current_revision(db)
    if current == SCHEMA_HEAD:
        return False
    if current is not None:
        _refuse_out_of_step(db, current)
    path = db.sqlite_path
    if current is not None and path is not None and path.exists():
        backup_database(path, backups_dir or default_backups_dir(), kind="pre-migration")
    _run_upgrade(db)
    return True


def _refuse_out_of_step(db: Database, current: str) -> None:
    """A schema this program cannot bring to head, as a Persian refusal rather than a migration's failure
    («file damaged» at start-up): one made by a newer Peyvand, or an office server behind this program
    opened on a user's own role, which may not change the schema (only the owner's `server init` may)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from app.services.core.errors import SchemaOutOfStep

    try:
        ScriptDirectory.from_config(_config()).get_revision(current)
    except CommandError:
        raise SchemaOutOfStep(SchemaOutOfStep.NEWER) from None
    if not db.is_sqlite:
        from app.services.server.security import on_own_role

        with db.engine.connect() as conn:
            if on_own_role(conn):
                raise SchemaOutOfStep(SchemaOutOfStep.SERVER_BEHIND)


def _run_upgrade(db: Database) -> None:
    from alembic import command

    from app.services.server.locks import wait_bounded

    cfg = _config()
    with db.engine.begin() as conn:
        wait_bounded(conn)  # a server in use: users' open transactions do not hold the upgrade (and them) for ever
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        server = conn.dialect.name == "postgresql"
        if server and conn.execute(text("SELECT to_regproc('public.peyvand_level')")).scalar():
            # An office server: new and rebuilt tables, new columns and functions get their row security,
            # grants and triggers in the migration's own transaction, never a moment without them.
            from app.services.server.security import install_row_security

            install_row_security(conn)


def make_revision(db: Database, message: str, rev_id: str) -> None:
    """Developer helper: autogenerate a revision against an up-to-date database."""
    from alembic import command

    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
