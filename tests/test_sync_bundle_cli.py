"""`python -m app sync export|import`: sync files from the command line, on a laptop and at an office kept
in a SQLite file (the office server's side is the same service, tested in tests/sync/test_bundle.py)."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.models import PhoneKind
from app.services.identities.records import IdentityData, PhoneData
from tests.sync.world import sqlite_world


@pytest.fixture
def world(tmp_path):
    with sqlite_world(tmp_path) as made:
        yield made


def sync(db, *args: str) -> int:
    return main(["sync", *args, "--db", db.url.render_as_string(hide_password=False)])


def test_export_import_and_back(world, capsys) -> None:
    maryam = world.rep("maryam")
    laptop = world.laptop("maryam")
    data = IdentityData(first_name="سارا", last_name="احمدی", phones=[PhoneData("09131112233", PhoneKind.MOBILE)])
    made = laptop.services.identities.create(maryam, data)
    out, back = world.tmp / "out.pvsync", world.tmp / "back.pvsync"

    assert sync(laptop.db, "export", "--out", str(out), "--json") == 0
    assert json.loads(capsys.readouterr().out)["batches"] == 1
    assert sync(world.office.db, "import", str(out), "--out", str(back), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["user"], report["applied"], report["repeated"], report["rejected"]) == ("maryam", 1, 0, 0)
    assert world.office.identities.get(world.admin, made.id).display_name == made.display_name
    assert sync(laptop.db, "import", str(back)) == 0
    assert "فایل بازگشتی خوانده شد: ۱ تغییر تأیید شد" in capsys.readouterr().out
    assert laptop.services.sync.status(maryam).waiting == 0


def test_refusals_are_persian_messages_with_an_exit_code(world, capsys) -> None:
    world.rep("maryam")
    laptop = world.laptop("maryam")
    out = world.tmp / "out.pvsync"
    assert sync(laptop.db, "export", "--out", str(out)) == 0
    capsys.readouterr()
    assert sync(laptop.db, "export", "--out", str(out)) == 1  # never written over
    assert "از پیش وجود دارد" in capsys.readouterr().err
    assert sync(world.office.db, "import", str(out)) == 1
    assert "--out" in capsys.readouterr().err
    other = world.tmp / "notes.txt"
    other.write_text("سلام", encoding="utf-8")
    assert sync(world.office.db, "import", str(other), "--out", str(world.tmp / "b.pvsync")) == 1
    assert "فایل همگام‌سازی پیوند نیست" in capsys.readouterr().err
