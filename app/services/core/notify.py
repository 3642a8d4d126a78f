"""On the office server, a committed write tells the other users what it changed, rows and all.

The `Changes` of the transaction go out on the live-refresh channel (PostgreSQL NOTIFY, delivered at
COMMIT, never on rollback) as a small JSON object, so other users' views refresh just those rows, as
the writer's own views do. The transaction also sets `peyvand.changes_sent`, which keeps the tables'
statement triggers quiet (they still name the table for writes made outside the app). A NOTIFY payload
is limited to 8,000 bytes: past that, tables are named without their rows.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app.migrations.raw_ddl import CHANGES_CHANNEL, CHANGES_SENT
from app.services.core.capture import changes_of
from app.services.core.changes import ChangeBuilder, Changes, Op

MAX_PAYLOAD = 7_900
_OPS = {op.value[0]: op for op in Op}  # i(nsert), u(pdate), d(elete), r(estore)


def encode(changes: Changes) -> str:
    """The payload: {"rows": {table: {id: op letter}}, "whole": [table ...]}, trimmed to fit."""
    rows = {t: {str(i): op.value[0] for i, op in ids.items()} for t, ids in changes.rows.items()}
    whole = sorted(changes.whole_tables)
    payload = json.dumps({"rows": rows, "whole": whole}, separators=(",", ":"))
    if len(payload.encode()) <= MAX_PAYLOAD:
        return payload
    return json.dumps({"rows": {}, "whole": sorted(changes.tables)}, separators=(",", ":"))


def decode(payload: str) -> Changes:
    """A payload as `encode` wrote it, or a bare table name (the statement triggers' own payload)."""
    builder = ChangeBuilder()
    if not payload.startswith("{"):
        builder.add_table(payload)
        return builder.build()
    data = json.loads(payload)
    for table, ids in data.get("rows", {}).items():
        for row_id, letter in ids.items():
            builder.add(table, _row_id(row_id), _OPS[letter])
    for table in data.get("whole", []):
        builder.add_table(table)
    return builder.build()


def _row_id(text_id: str):
    """Ids as the writer's own Changes carry them (UUIDs), so views compare them alike."""
    try:
        return uuid.UUID(text_id)
    except ValueError:
        return text_id


def _quiet_triggers(session: Session, _transaction, connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config(:name, 'on', true)"), {"name": CHANGES_SENT})


def _send(session: Session) -> None:
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    changes = changes_of(session)
    if changes:
        connection.execute(
            text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANGES_CHANNEL, "payload": encode(changes)}
        )


def install(session_factory) -> None:
    """After the journal's hook (it makes the last flush), so the Changes are complete."""
    event.listen(session_factory, "after_begin", _quiet_triggers)
    event.listen(session_factory, "before_commit", _send)
