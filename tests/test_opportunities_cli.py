"""`python -m app opportunities list` on demo data."""

from __future__ import annotations

import json
import subprocess
import sys


def _run(*args: str, env_home) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, encoding="utf-8", timeout=180,
        env={"PEYVAND_HOME": str(env_home), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_opportunities_list_by_stage_as_json(tmp_path) -> None:
    db = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    assert _run("demo", "--db", db, "--identities", "200", "--opportunities", "60", env_home=tmp_path).returncode == 0
    done = _run("opportunities", "list", "--db", db, "--stage", "مذاکره", "--json", env_home=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows and {r["stage"] for r in rows} == {"مذاکره"} and {r["status"] for r in rows} == {"open"}
    text = _run("opportunities", "list", "--db", db, "--status", "lost", env_home=tmp_path)
    assert text.returncode == 0 and "بازنده" in text.stdout and text.stdout.strip().endswith("فرصت")
    missing = _run("opportunities", "list", "--db", db, "--stage", "نیست", env_home=tmp_path)
    assert missing.returncode == 2


def test_a_missing_file_is_refused_not_created(tmp_path) -> None:
    missing = tmp_path / "typo.db"
    result = _run("opportunities", "list", "--db", f"sqlite:///{missing.as_posix()}", env_home=tmp_path)
    assert result.returncode != 0 and "پیدا نشد" in result.stderr
    assert not missing.exists()
