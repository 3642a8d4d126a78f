"""sync.md §4 case 23: a laptop whose program was updated sends its outbox before its file is migrated."""

from __future__ import annotations

from app.models import Identity
from app.services.core import migrations
from app.services.core.errors import ServiceError
from app.services.sync import handshake
from app.ui import app as ui_app
from app.ui.sync import credentials
from tests.sync.test_first_sync import person
from tests.sync.world import REP_PASSWORD, edit, read


def test_23_the_outbox_goes_to_the_office_before_the_migration(world, monkeypatch, qapp):
    maryam = world.rep("maryam")
    customer = world.at_office("maryam").identities.create(maryam, person("علی", "رضایی", "09121234567")).id
    laptop = world.laptop("maryam")
    edit(laptop.services, maryam, Identity, customer, website="before.upgrade.ir")
    url = laptop.db.url.render_as_string(hide_password=False)
    laptop.db.dispose()

    steps = []
    monkeypatch.setattr(credentials, "saved_password", lambda login, server: REP_PASSWORD)
    monkeypatch.setattr(migrations, "current_revision", lambda db: "0015_sync_before")  # a newer program
    real_push = type(laptop.services.sync).push_pending
    monkeypatch.setattr(
        type(laptop.services.sync), "push_pending", lambda self, pw: steps.append("push") or real_push(self, pw)
    )
    monkeypatch.setattr(migrations, "upgrade", lambda db, backups_dir=None: steps.append("migrate") or False)
    opened = ui_app.open_services(url)
    try:
        assert steps == ["push", "migrate"]
        assert read(world.office, Identity, customer, "website") == "before.upgrade.ir"
        assert opened.sync.status(maryam).waiting == 0
    finally:
        opened.db.dispose()


def test_23_out_of_reach_the_file_is_migrated_and_keeps_its_outbox(world, monkeypatch, qapp):
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    laptop.services.identities.create(maryam, person("سارا", "احمدی", "09131112233"))
    url = laptop.db.url.render_as_string(hide_password=False)
    laptop.db.dispose()
    monkeypatch.setattr(credentials, "saved_password", lambda login, server: REP_PASSWORD)

    def unreachable(*args):
        raise ServiceError(handshake.UNREACHABLE)

    monkeypatch.setattr(handshake, "open_hub", unreachable)
    monkeypatch.setattr(migrations, "current_revision", lambda db: "0015_sync_before")
    migrated = []
    monkeypatch.setattr(migrations, "upgrade", lambda db, backups_dir=None: migrated.append(db) or False)
    opened = ui_app.open_services(url)
    try:
        assert migrated and opened.sync.status(maryam).waiting == 1
    finally:
        opened.db.dispose()
