"""What an office-server write tells other users: its Changes in one NOTIFY payload, under PostgreSQL's limit."""

from __future__ import annotations

import uuid

from app.services.core.changes import ChangeBuilder, Op
from app.services.core.notify import MAX_PAYLOAD, decode, encode


def test_rows_and_operations_survive_the_trip() -> None:
    builder = ChangeBuilder()
    ids = [uuid.uuid4() for _ in range(3)]
    builder.add("identities", ids[0], Op.INSERT)
    builder.add("identities", ids[1], Op.RESTORE)
    builder.add("opportunities", ids[2], Op.DELETE)
    builder.add_table("tags")
    heard = decode(encode(builder.build()))
    assert heard.rows["identities"] == {ids[0]: Op.INSERT, ids[1]: Op.RESTORE}  # UUIDs, as the writer's own
    assert heard.rows["opportunities"] == {ids[2]: Op.DELETE} and heard.ids("tags") is None


def test_a_large_write_names_its_tables_only() -> None:
    builder = ChangeBuilder()
    for _ in range(500):  # an import: 500 ids are far past 8,000 bytes
        builder.add("identities", uuid.uuid4(), Op.INSERT)
    payload = encode(builder.build())
    assert len(payload.encode()) <= MAX_PAYLOAD and decode(payload).ids("identities") is None


def test_a_trigger_payload_is_a_table_name() -> None:
    assert decode("products").ids("products") is None
