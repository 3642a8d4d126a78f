"""The database layer: one transaction per write, optimistic locking, soft delete, migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.models import Base, Identity, IdentityKind, IdentityPhone, utcnow
from app.persian import search_key
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.errors import ConcurrentChange
from app.services.identities.service import IdentityQuery
from tests.conftest import sqlite_url


def _person(name: str) -> Identity:
    return Identity(kind=IdentityKind.PERSON, display_name=name, name_key=search_key(name))


def _count(db: Database, model=Identity) -> int:
    with db.read(SYSTEM) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_failed_write_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write(SYSTEM) as s:
        person = _person("مریم احمدی")
        s.add(person)
        s.flush()
        s.add(IdentityPhone(identity_id=person.id, number="09121234567", number_key="09121234567"))
        s.flush()
        raise RuntimeError("power cut halfway")
    assert _count(db) == 0
    assert _count(db, IdentityPhone) == 0


def test_a_constraint_failure_rolls_back_the_whole_write(db: Database) -> None:
    import uuid

    with pytest.raises(IntegrityError), db.write(SYSTEM) as s:
        s.add(_person("رضا کریمی"))
        s.flush()
        # A phone of an identity that does not exist: the foreign key refuses it.
        s.add(IdentityPhone(identity_id=uuid.uuid4(), number="0912", number_key="0912"))
    assert _count(db) == 0


def test_concurrent_change_raises_a_clear_error(db: Database) -> None:
    with db.write(SYSTEM) as s:
        person = _person("سارا محمدی")
        s.add(person)
    with db.read(SYSTEM) as s:
        opened = s.get(Identity, person.id)  # a form opens the record (version 1) ...
    with db.write(SYSTEM) as s:
        s.get(Identity, person.id).description = "اولین ویرایش"  # ... someone else saves first
    opened.description = "ویرایش همزمان"
    with pytest.raises(ConcurrentChange) as caught, db.write(SYSTEM) as s:
        s.merge(opened)
    assert "کاربر دیگری" in caught.value.message
    with db.read(SYSTEM) as s:
        assert s.get(Identity, person.id).description == "اولین ویرایش"


def test_writes_are_stamped_by_one_hook(db: Database, admin) -> None:
    with db.write(admin) as s:
        person = _person("علی حسینی")
        s.add(person)
    created = person.updated_at
    with db.write(admin) as s:
        s.get(Identity, person.id).description = "مشتری قدیمی"
    with db.read(SYSTEM) as s:
        row = s.get(Identity, person.id)
        assert row.created_by == admin.user_id and row.updated_by == admin.user_id
        assert row.updated_at > created and row.version == 2
        assert row.created_at.tzinfo is not None


def test_soft_delete_hides_rows_but_keeps_them(services, admin) -> None:
    with services.db.write(admin) as s:
        keep, gone = _person("نگار رضایی"), _person("نگار رضایی‌نژاد")
        s.add_all([keep, gone])
    services.identities.soft_delete(admin, gone.id)
    rows = services.identities.search(admin, IdentityQuery(text="نگار"))
    assert [r.id for r in rows] == [keep.id]
    assert services.identities.count(admin, IdentityQuery()) == 1
    with services.db.read(SYSTEM) as s:
        assert s.get(Identity, gone.id).deleted_at <= utcnow()


def test_migrations_run_from_empty_to_head_and_match_the_models(tmp_path) -> None:
    db = Database(sqlite_url(tmp_path / "fresh.db"))
    assert migrations.current_revision(db) is None
    assert migrations.upgrade(db) is True
    assert migrations.current_revision(db) == migrations.head_revision() == migrations.SCHEMA_HEAD
    assert migrations.upgrade(db) is False
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": migrations.is_modelled})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_sqlite_connection_settings(tmp_path) -> None:
    db = Database(sqlite_url(tmp_path / "settings.db"))  # SQLite's own settings, on either test database
    with db.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") >= 5000


def test_migrating_an_existing_file_backs_it_up_first(tmp_path, monkeypatch) -> None:
    from app.services.admin.backup import list_backups

    db = Database(sqlite_url(tmp_path / "old.db"))
    migrations.upgrade(db)
    # Pretend the file was made by an older release: one revision behind head.
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0021_rep_search_walk'")
    monkeypatch.setattr(migrations, "_run_upgrade", lambda db: None)
    assert migrations.upgrade(db, backups_dir=tmp_path / "backups") is True
    assert [b.kind for b in list_backups(tmp_path / "backups")] == ["pre-migration"]


def test_a_file_from_a_newer_program_is_refused_with_what_to_do(tmp_path, monkeypatch, qapp) -> None:
    """Not migrated, not called damaged: the schema is one this program does not know."""
    from sqlalchemy import text

    from app.services.core.errors import SchemaOutOfStep
    from app.ui import app as ui_app

    url = sqlite_url(tmp_path / "newer.db")
    newer = Database(url)
    migrations.upgrade(newer)
    with newer.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    with pytest.raises(SchemaOutOfStep) as refused:
        migrations.upgrade(newer)
    assert refused.value.message == SchemaOutOfStep.NEWER
    newer.dispose()
    shown = []
    monkeypatch.setattr(ui_app, "show_error", lambda parent, message, **kw: shown.append(message))
    assert ui_app.open_services(url) is None
    assert shown == [SchemaOutOfStep.NEWER]
