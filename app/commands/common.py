"""What the command modules share: the database URL, output in Persian or JSON."""

from __future__ import annotations

import argparse
import json

from app import config


def db_url(args: argparse.Namespace) -> str:
    return config.resolve_db_url(getattr(args, "db", None))


def open_services(args: argparse.Namespace):
    """The services over an existing database: a mistyped path is refused, never created as an empty file."""
    from app.services.core.database import Database
    from app.services.core.registry import Services

    return Services(Database(db_url(args), create=False))


def emit(args: argparse.Namespace, payload: dict | list, text: str) -> None:
    """JSON for scripts with --json, otherwise the Persian text for people."""
    print(json.dumps(payload, ensure_ascii=False, default=str) if getattr(args, "json", False) else text)
