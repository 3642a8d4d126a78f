"""`python -m app sync devices|register|rename|revoke`: an administrator's laptops from the command line."""

from __future__ import annotations

import json
import sys

import pytest

from app.cli import main
from app.models import AccessLevel, User
from app.services.core.actor import SYSTEM
from app.services.sync.devices import Registration


@pytest.fixture
def url(db) -> str:
    with db.write(SYSTEM) as s:
        s.add(User(login="sara", display_name="سارا", access_level=AccessLevel.OWN_DOCUMENTS))
    return db.url.render_as_string(hide_password=False)


def sync(url: str, *args: str) -> int:
    return main(["sync", *args, "--db", url])


def test_register_writes_the_registration_file_and_the_list_shows_it(url, tmp_path, capsys) -> None:
    assert sync(url, "register", "--user", "sara", "--name", "لپ‌تاپ سارا", "--out", str(tmp_path / "sara")) == 0
    path = tmp_path / "sara.peyvand-device"
    assert str(path) in capsys.readouterr().out
    registration = Registration.from_json(path.read_text(encoding="utf-8"))
    assert (registration.device_code, registration.login, registration.device_name) == ("L1", "sara", "لپ‌تاپ سارا")
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o777 == 0o600  # it carries the device's secret
    assert sync(url, "devices", "--json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["code"], row["name"], row["user"], row["revoked_at"]) == ("L1", "لپ‌تاپ سارا", "سارا", None)
    assert sync(url, "devices") == 0
    assert "L1\tلپ‌تاپ سارا\tسارا" in capsys.readouterr().out


def test_rename_and_revoke_by_code(url, tmp_path, capsys) -> None:
    assert sync(url, "register", "--user", "sara", "--name", "قدیمی", "--out", str(tmp_path / "a.peyvand-device")) == 0
    assert sync(url, "rename", "l1", "لپ‌تاپ دفتر") == 0
    assert sync(url, "revoke", "L1") == 0
    assert "باطل شد" in capsys.readouterr().out
    assert sync(url, "devices", "--json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["name"] == "لپ‌تاپ دفتر" and row["revoked_at"] is not None


def test_refusals_are_persian_messages_with_an_exit_code(url, tmp_path, capsys) -> None:
    taken = tmp_path / "taken.peyvand-device"
    taken.write_text("keep me", encoding="utf-8")
    assert sync(url, "register", "--user", "sara", "--name", "x", "--out", str(taken)) == 1
    assert "از پیش وجود دارد" in capsys.readouterr().err and taken.read_text(encoding="utf-8") == "keep me"
    assert sync(url, "register", "--user", "nobody", "--name", "x", "--out", str(tmp_path / "n")) == 1
    assert "پیدا نشد" in capsys.readouterr().err
    assert sync(url, "register", "--user", "sara", "--name", " ", "--out", str(tmp_path / "blank")) == 1
    assert "نام دستگاه" in capsys.readouterr().err and not (tmp_path / "blank.peyvand-device").exists()
    assert sync(url, "revoke", "L7") == 1
    assert "L7" in capsys.readouterr().err
    assert sync(url, "devices") == 0
    assert "هیچ دستگاهی" in capsys.readouterr().out
