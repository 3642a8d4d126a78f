"""«اتصال به سرور»: errors by the field, a working connection is saved (password in the vault) and restarts."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from app.services.server import connection as server_connection
from app.ui.server import server_dialog
from app.ui.server.server_dialog import ServerDialog
from tests.services.test_server_connection import vault  # noqa: F401  (fixture)
from tests.ui.persian_typing import type_text


@pytest.fixture
def restarts(monkeypatch) -> list:
    calls: list = []
    monkeypatch.setattr(server_dialog, "restart", lambda: calls.append(True))
    return calls


def test_missing_fields_are_shown_by_the_field_and_nothing_is_saved(qtbot, vault, restarts) -> None:  # noqa: F811
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.database.clear()
    dialog.accept()
    assert not dialog.form.rows["host"].error.isHidden()
    assert not dialog.form.rows["database"].error.isHidden()
    assert server_connection.load() is None and restarts == []


def test_a_working_connection_is_saved_and_the_app_restarts(qtbot, vault, restarts, pg_database) -> None:  # noqa: F811
    url = make_url(pg_database)
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    type_text(dialog.host, url.host)
    dialog.port.setValue(url.port)
    dialog.database.clear()
    type_text(dialog.database, url.database)
    type_text(dialog.user, url.username)
    type_text(dialog.password, "گذرواژه")
    dialog.tls.setCurrentIndex(dialog.tls.findData("disable"))
    assert dialog.test() is True and dialog.message.text() == "اتصال برقرار شد."
    dialog.accept()
    assert restarts == [True]
    saved = server_connection.load()
    assert (saved.host, saved.database, saved.user) == (url.host, url.database, url.username)
    assert list(vault.items.values()) == ["گذرواژه"]
