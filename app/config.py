"""Folders and the database location, resolved through platformdirs (Windows first).

Environment overrides (used by tests so they never touch a user's real data):
- PEYVAND_DB: database URL used when no --db is given.
- PEYVAND_HOME: one folder that replaces the data, config and log folders.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import platformdirs

from app import APP_NAME

_AUTHOR = "Peyvand"
DB_ENV = "PEYVAND_DB"
HOME_ENV = "PEYVAND_HOME"


def _home_override() -> Path | None:
    home = os.environ.get(HOME_ENV)
    return Path(home) if home else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    home = _home_override()
    return _ensure(home / "data" if home else platformdirs.user_data_path(APP_NAME, _AUTHOR))


def config_dir() -> Path:
    home = _home_override()
    return _ensure(home / "config" if home else platformdirs.user_config_path(APP_NAME, _AUTHOR))


def log_dir() -> Path:
    home = _home_override()
    return _ensure(home / "logs" if home else platformdirs.user_log_path(APP_NAME, _AUTHOR))


def log_file() -> Path:
    """The application's log, shared by the GUI (rotated there) and the command line."""
    return log_dir() / "peyvand.log"


def default_db_url() -> str:
    return f"sqlite:///{(data_dir() / 'peyvand.db').as_posix()}"


def resolve_db_url(cli_value: str | None = None) -> str:
    """--db wins, then the environment variable, then the saved office server, then the laptop's copy
    («کار بیرون از دفتر»), then the local SQLite file."""
    if cli_value or os.environ.get(DB_ENV):
        return _as_url(cli_value or os.environ[DB_ENV])
    if server_file().exists():
        from app.services.server.connection import saved_url  # SQLAlchemy only when a server is saved

        return saved_url() or default_db_url()
    laptop = laptop_database()
    return f"sqlite:///{laptop.as_posix()}" if laptop is not None else default_db_url()


def _as_url(value: str) -> str:
    """A database URL, or a SQLite file's path (`--db D:\\دفتر\\peyvand.db`) as its URL."""
    return value if "://" in value else f"sqlite:///{Path(value).absolute().as_posix()}"


def laptop_file() -> Path:
    """Where this machine's laptop copy of the office database lives, once one was made."""
    return config_dir() / "laptop.json"


def use_laptop_database(path: Path) -> None:
    """The next start opens this laptop copy (unless a server connection is saved)."""
    laptop_file().write_text(json.dumps({"path": str(path.absolute())}, ensure_ascii=False), encoding="utf-8")


def laptop_database() -> Path | None:
    try:
        return Path(json.loads(laptop_file().read_text(encoding="utf-8"))["path"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no laptop copy on this machine


def known_database_file() -> Path:
    """The SQLite file this machine last worked on and its backups folder, so that a start that
    finds it missing offers a restore instead of a new empty company."""
    return config_dir() / "last-database.json"


def remember_database(path: Path, backups: Path) -> None:
    data = {"path": str(path.absolute()), "backups": str(backups)}
    try:
        known_database_file().write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # best effort: without it a missing file at start is taken for a first start


def known_database() -> tuple[Path, Path] | None:
    """(database file, backups folder) remembered by `remember_database`, or None."""
    try:
        data = json.loads(known_database_file().read_text(encoding="utf-8"))
        return Path(data["path"]), Path(data["backups"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # never remembered (a first start) or unreadable: nothing to offer


def server_file() -> Path:
    """The saved office-server connection (no password: that lives in the credential store)."""
    return config_dir() / "server.json"


def resources_dir() -> Path:
    """resources/ beside the package, or inside the PyInstaller bundle when frozen."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
