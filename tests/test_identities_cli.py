"""`python -m app identities import|search|export` in a child process, as an administrator runs them."""

from __future__ import annotations

import json

from tests.conftest import sqlite_url
from tests.test_cli import run


def test_import_search_and_export(tmp_path, isolated_home) -> None:
    url = sqlite_url(tmp_path / "cli.db")
    made = run("demo", "--identities", "50", "--opportunities", "5", "--db", url, home=isolated_home)
    assert made.returncode == 0, made.stderr
    source = tmp_path / "people.csv"
    source.write_text("نام,نام خانوادگی,موبایل\nنگار,صدری,09127778899\nبد,,12\n", encoding="utf-8-sig")
    report = tmp_path / "report.xlsx"
    imported = run(
        "identities", "import", str(source), "--report", str(report), "--json", "--db", url, home=isolated_home
    )
    assert imported.returncode == 0, imported.stderr
    counts = json.loads(imported.stdout)
    assert (counts["created"], counts["failed"], counts["errors"][0]["row"]) == (1, 1, 3)
    assert report.exists()
    again = run("identities", "import", str(source), "--on-duplicate", "skip", "--db", url, home=isolated_home)
    assert again.returncode == 0 and "۱ تکراری ردشده" in again.stdout

    found = run("identities", "search", "۰۹۱۲۷۷۷", "--limit", "5", "--json", "--db", url, home=isolated_home)
    hits = json.loads(found.stdout)["hits"]
    assert [(h["display_name"], h["role"], h["phones"]) for h in hits] == [("نگار صدری", "lead", ["09127778899"])]
    text = run("identities", "search", "صدری", "--db", url, home=isolated_home)
    assert "نگار صدری (سرنخ) ۰۹۱۲۷۷۷۸۸۹۹" in text.stdout

    target = tmp_path / "all.xlsx"
    exported = run("identities", "export", str(target), "--db", url, home=isolated_home)
    assert exported.returncode == 0 and target.stat().st_size > 1000 and "۵۱ هویت" in exported.stdout
    missing = run("identities", "import", str(tmp_path / "none.csv"), "--json", "--db", url, home=isolated_home)
    assert missing.returncode == 2 and json.loads(missing.stdout)["ok"] is False
