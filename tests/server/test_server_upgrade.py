"""A new program meets an office server still on the old schema: a user's own role may not change the
schema (0022 makes indexes, which only the owner may), so the program says who must run `server init`
instead of failing as if the file were damaged; after the owner's `server init`, it opens."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from app.services.core import migrations
from app.services.core.errors import SchemaOutOfStep
from app.ui import app as ui_app
from tests.conftest import require_pg_server
from tests.server.role_office import office_on

BEFORE = "0021_rep_search_walk"


@pytest.fixture
def office():
    with office_on(require_pg_server()) as made:
        yield made


def _back_to_previous_schema(office) -> None:
    cfg = migrations._config()
    with office.owner.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, BEFORE)
    assert migrations.current_revision(office.owner.db) == BEFORE


def test_a_user_meets_a_server_behind_the_program_with_what_to_do(office, monkeypatch, qapp) -> None:
    _back_to_previous_schema(office)
    with pytest.raises(SchemaOutOfStep) as refused:
        migrations.upgrade(office.as_boss.db)  # the administrator, on their own role
    assert "server init" in refused.value.message
    assert migrations.current_revision(office.owner.db) == BEFORE

    shown = []
    monkeypatch.setattr(ui_app, "show_error", lambda parent, message, **kw: shown.append(message))
    assert ui_app.open_services(office.as_boss.db.url.render_as_string(hide_password=False)) is None
    assert shown == [SchemaOutOfStep.SERVER_BEHIND]

    assert migrations.upgrade(office.owner.db)  # what `server init` runs, as the owner
    assert migrations.upgrade(office.as_boss.db) is False
    with office.as_boss.db.engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('ix_identities_owner_walk')")).scalar()
