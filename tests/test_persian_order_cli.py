"""The command line's lists in the Persian alphabet (issue 14): identities imported, searched and exported."""

from __future__ import annotations

import csv
import json
import random

from app.services.core import migrations
from app.services.core.database import Database
from tests.conftest import sqlite_url
from tests.persian.test_persian_sort import THIRTY_SEVEN
from tests.test_cli import run


def test_search_and_export_list_the_37_names_in_the_persian_alphabet(tmp_path, isolated_home) -> None:
    url = sqlite_url(tmp_path / "cli.db")
    db = Database(url)
    migrations.upgrade(db)
    db.dispose()
    names = THIRTY_SEVEN[:]
    random.Random(14).shuffle(names)
    source = tmp_path / "people.csv"
    rows = [f"{name},0912000{i:04d}" for i, name in enumerate(names)]
    source.write_text("نام سازمان,موبایل\n" + "\n".join(rows) + "\n", encoding="utf-8-sig")
    imported = run("identities", "import", str(source), "--json", "--db", url, home=isolated_home)
    assert imported.returncode == 0 and json.loads(imported.stdout)["created"] == 37, imported.stderr

    found = run("identities", "search", "0912000", "--limit", "50", "--json", "--db", url, home=isolated_home)
    assert [h["display_name"] for h in json.loads(found.stdout)["hits"]] == THIRTY_SEVEN

    target = tmp_path / "all.csv"
    exported = run("identities", "export", str(target), "--db", url, home=isolated_home)
    assert exported.returncode == 0, exported.stderr
    with target.open(encoding="utf-8-sig") as f:
        listed = [next(cell for cell in row if cell in THIRTY_SEVEN) for row in list(csv.reader(f))[1:]]
    assert listed == THIRTY_SEVEN
