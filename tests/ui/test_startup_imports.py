"""What a start imports: the main window with its docks full, in a child process (this process has long
imported everything), without the libraries only an export or a PDF needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_ONLY = ("openpyxl", "reportlab", "PIL")  # XLSX exports, PDF documents, images in PDFs

CHILD = """
import json, sys
from app.ui.app import run_gui
code = run_gui(sys.argv[1], quit_when_shown=True)
print(json.dumps({"code": code, "modules": sorted({name.partition(".")[0] for name in sys.modules})}))
"""


def test_a_start_imports_no_export_library(demo_db, isolated_home) -> None:
    env = {**os.environ, "PEYVAND_HOME": str(isolated_home), "QT_QPA_PLATFORM": "offscreen"}
    url = demo_db.url.render_as_string(hide_password=False)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, url], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert child.returncode == 0, child.stderr
    marks, started = child.stdout.splitlines()[:2], json.loads(child.stdout.splitlines()[-1])
    assert [line.split()[0] for line in marks] == ["shown", "rows"] and started["code"] == 0
    assert "sqlalchemy" in started["modules"]  # the docks were filled from the database
    assert [name for name in OUTPUT_ONLY if name in started["modules"]] == []
