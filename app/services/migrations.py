"""Schema migrations (Alembic), run in-process at start-up and by the admin commands.

A SQLite file is backed up (online backup API, verified) before any migration touches it.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.services.backup import backup_database, default_backups_dir
from app.services.database import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, backups_dir: Path | None = None) -> bool:
    """Bring the schema to head; returns True when a migration ran.

    An existing, non-empty SQLite file is backed up first ("pre-migration" copy).
    """
    current = current_revision(db)
    if current == head_revision():
        return False
    path = db.sqlite_path
    if current is not None and path is not None and path.exists():
        backup_database(path, backups_dir or default_backups_dir(), kind="pre-migration")
    _run_upgrade(db)
    return True


def _run_upgrade(db: Database) -> None:
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def make_revision(db: Database, message: str) -> None:
    """Developer helper: autogenerate a new revision against an up-to-date database."""
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)
