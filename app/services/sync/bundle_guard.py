"""A laptop's file imported at the office names only its own user's personal rows.

Over the LAN a laptop pushes as its user's own server role, whose row security keeps each user's
personal rows (recently opened records, folded stages, read marks, message files, the assignment log)
theirs. An administrator's import runs on the administrator's role, which row security lets write such
rows for anyone, and the laptop's user holds the device secret, so could forge a file: these rows are
checked here against the device's user before anything of the file is applied."""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, select

from app.models import Message
from app.services.core.errors import ServiceError
from app.services.sync import hub, tables

FOREIGN_ROWS = "این فایل تغییرهایی به نام کاربر دیگری دارد و پذیرفته نشد."
# Table → the column naming the user whose row it is.
PERSONAL = {
    "recent_records": "user_id",
    "stage_folds": "user_id",
    "message_reads": "user_id",
    "assignment_log": "assigned_by",
}


def check(conn: Connection, batches: list[hub.Batch], user_id: uuid.UUID) -> None:
    """ServiceError when an entry writes a personal row of another user (as it is, or as it was)."""
    mine = str(user_id)
    own_messages = {
        e["r"]
        for b in batches
        for e in b.entries
        if e["t"] == "messages" and e["o"] == "insert" and e["f"].get("author_id") == mine
    }
    for batch in batches:
        for e in batch.entries:
            if e["t"] in PERSONAL:
                column = PERSONAL[e["t"]]
                if column in e["f"] and e["f"][column] != mine:
                    raise ServiceError(FOREIGN_ROWS)
                if e["o"] != "insert" and _stored(conn, e["t"], column, e["r"]) not in (None, user_id):
                    raise ServiceError(FOREIGN_ROWS)
            elif e["t"] == "message_files" and e["o"] == "insert":
                message = str(e["f"].get("message_id"))
                if message not in own_messages and _author(conn, message) != user_id:
                    raise ServiceError(FOREIGN_ROWS)


def _stored(conn: Connection, name: str, column: str, row_id: str):
    table = tables.by_name()[name]
    try:
        key = tables.key_value(table, row_id)
    except ValueError:
        return row_id  # not a key at all: nobody's row, so not this user's
    return conn.execute(select(table.c[column]).where(tables.key_column(table) == key)).scalar()


def _author(conn: Connection, message_id: str) -> uuid.UUID | None:
    try:
        wanted = uuid.UUID(message_id)
    except ValueError:
        return None
    return conn.execute(select(Message.author_id).where(Message.id == wanted)).scalar()
