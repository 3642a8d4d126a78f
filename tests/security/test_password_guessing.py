"""`server init` slows password guessing against the server's roles, or says what the DBA must do
(issue 13: `psql -U pv_sara` could guess without limit). The test cluster has no auth_delay loaded."""

from __future__ import annotations

import json
import subprocess
import sys

from app.services.server import auth_delay


def test_server_init_names_the_postgresql_conf_lines_when_auth_delay_is_not_loaded(pg_database, isolated_home) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "server", "init", "--admin", "boss", "--db", pg_database, "--json"],
        input="kelid-e-modir\n", capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert auth_delay.NOT_LOADED in done.stderr and "shared_preload_libraries = 'auth_delay'" in done.stderr
    assert json.loads(done.stdout)["ok"] is True


def test_a_weak_first_administrator_password_is_refused_by_server_init(pg_database, isolated_home) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "server", "init", "--admin", "boss", "--db", pg_database],
        input="password1\n", capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert done.returncode == 2 and "رایج" in done.stderr and "Traceback" not in done.stderr
