"""The change journal: every committed write appends its rows in the same transaction, numbered without gaps."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import inspect, select

from app.models import Base, ChangeLogEntry, Identity, IdentityKind, Setting
from app.services.core.actor import SYSTEM
from app.services.core.audit import to_json
from app.services.core.capture import journal_rules
from app.services.core.errors import ValidationFailed
from app.services.core.journal import row_values
from app.services.identities.records import AddressData, IdentityData, PhoneData
from app.services.identities.table import ImportTable


def journal(services) -> list[ChangeLogEntry]:
    with services.db.read(SYSTEM) as s:
        return list(s.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.seq, ChangeLogEntry.ordinal)))


def person(**values) -> IdentityData:
    return IdentityData(**({"first_name": "علی", "last_name": "کریمی"} | values))


def test_a_write_appends_its_rows_under_one_new_number(services, admin, journaling) -> None:
    before = journal(services)
    detail = services.identities.create(admin, person(phones=[PhoneData("09121234567")]))
    new = journal(services)[len(before) :]
    assert {e.seq for e in new} == {before[-1].seq + 1}
    assert [e.ordinal for e in new] == list(range(1, len(new) + 1))
    (row,) = [e for e in new if e.table_name == "identities"]
    assert row.row_id == str(detail.id) and row.op == "insert"
    assert row.fields["first_name"] == "علی" and row.fields["kind"] == "person"
    assert {e.table_name for e in new} == {"identities", "identity_phones"}  # no audit rows
    with services.db.read(SYSTEM) as s:
        device = s.get(Setting, "device_id").value
    assert {(e.user_id, e.device_id) for e in new} == {(admin.user_id, device)}


def test_an_insert_carries_only_what_its_row_cannot_tell_and_reads_back_as_the_row(services, admin, journaling) -> None:
    services.identities.create(
        admin,
        person(phones=[PhoneData("۰۹۱۲ ۱۲۳ ۴۵۶۷")], emails=["Ali@Example.ir"], addresses=[AddressData(city="تهران")]),
    )
    entries = journal(services)
    new = [e for e in entries if e.seq == entries[-1].seq]
    models = {m.local_table.name: m for m in Base.registry.mappers}
    assert {"search_blob", "name_sort", "city_sort"} < journal_rules("identities")[0]
    assert {e.table_name for e in new} == {"identities", "identity_phones", "identity_emails", "identity_addresses"}
    with services.db.read(SYSTEM) as s:
        for entry in new:
            mapper = models[entry.table_name]
            row = s.get(mapper.class_, uuid.UUID(entry.row_id))
            stored = {a.columns[0].name: to_json(getattr(row, a.key)) for a in mapper.column_attrs}
            derived = journal_rules(entry.table_name)[0] - {"id"}
            assert all(stored[name] for name in derived)  # kept in the row, derived on write
            assert not {"id", "version", "updated_at", "updated_by", *derived} & set(entry.fields)
            kept = {k: v for k, v in stored.items() if v is not None and k not in derived}
            assert row_values(entry.table_name, entry.op, entry.row_id, entry.fields) == kept


def test_an_update_carries_only_the_changed_fields_and_a_soft_delete_its_operation(services, admin, journaling) -> None:
    detail = services.identities.create(admin, person())
    services.identities.update(admin, detail.id, person(first_name="رضا"), detail.version)
    services.identities.soft_delete(admin, detail.id)
    update, delete = [e for e in journal(services) if e.row_id == str(detail.id)][1:]
    assert update.op == "update" and update.fields["first_name"] == "رضا" and "last_name" not in update.fields
    assert delete.op == "delete" and delete.fields["deleted_at"] is not None
    assert delete.seq == update.seq + 1


def test_a_rollback_writes_nothing_and_leaves_no_gap(services, admin, journaling) -> None:
    services.identities.create(admin, person())
    last = journal(services)[-1].seq
    with pytest.raises(ValidationFailed):
        services.identities.create(admin, IdentityData(national_code="123"))
    with pytest.raises(RuntimeError), services.db.write(admin) as s:
        s.add(Identity(kind=IdentityKind.PERSON, display_name="x", first_name="x"))
        s.flush()
        raise RuntimeError("rolled back after the flush")
    with services.db.write(admin):
        pass  # a write that changed nothing takes no number
    assert journal(services)[-1].seq == last
    services.identities.create(admin, person(last_name="احمدی"))
    assert journal(services)[-1].seq == last + 1


def test_a_bulk_import_is_journalled_in_its_own_transaction(services, admin, journaling) -> None:
    last = journal(services)[-1].seq
    rows = [[f"نفر {i}", f"0912{i:07d}"] for i in range(5)]
    result = services.identity_import.run(
        admin, ImportTable(["نام خانوادگی", "موبایل"], rows), {0: "last_name", 1: "mobile"}
    )
    new = [e for e in journal(services) if e.seq > last]
    assert result.created == 5 and {e.seq for e in new} == {last + 1}
    people = [e for e in new if e.table_name == "identities"]
    assert sorted(e.fields["last_name"] for e in people) == [f"نفر {i}" for i in range(5)]
    assert {e.op for e in people} == {"insert"} and len({e.row_id for e in people}) == 5
    phones = [e for e in new if e.table_name == "identity_phones"]
    assert sorted(e.fields["number"] for e in phones) == [f"0912{i:07d}" for i in range(5)]


@pytest.mark.sqlite_only
def test_the_migration_gives_existing_link_rows_ids_and_keeps_them(tmp_path) -> None:
    import sqlite3
    import uuid

    from alembic import command

    from app.services.core import migrations
    from app.services.core.database import Database

    path = tmp_path / "old.db"
    db = Database(f"sqlite:///{path.as_posix()}")
    cfg = migrations._config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    links = [(uuid.uuid4().hex, uuid.uuid4().hex) for _ in range(3)]
    stamp = "'2026-11-22 10:00:00.000000', '2026-11-22 10:00:00.000000', 1"
    raw = sqlite3.connect(path)
    for identity_id, tag_id in links:
        raw.execute(
            "INSERT INTO identities (id, kind, role, display_name, name_key, search_blob, created_at, updated_at, "
            f"version) VALUES (?, 'person', 'lead', 'x', 'x', 'x', {stamp})",
            (identity_id,),
        )
        raw.execute(
            f"INSERT INTO tags (id, name, name_key, created_at, updated_at, version) VALUES (?, 't', 't', {stamp})",
            (tag_id,),
        )
    raw.executemany("INSERT INTO identity_tags (identity_id, tag_id) VALUES (?, ?)", links)
    raw.commit()
    raw.close()
    migrations._run_upgrade(db)
    with db.engine.connect() as conn:
        tags = conn.exec_driver_sql("SELECT id, identity_id, tag_id FROM identity_tags").all()
    db.dispose()
    assert sorted((i, t) for _, i, t in tags) == sorted(links)
    assert len({row[0] for row in tags}) == 3 and all(len(row[0]) == 32 for row in tags)
