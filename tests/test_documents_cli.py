"""`python -m app demo` makes documents and `python -m app render` prints them to PDF files."""

from __future__ import annotations

import json
import subprocess

from app.models.enums import DocumentState
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.registry import Services
from app.services.documents.invoice_views import InvoiceQuery
from tests.conftest import sqlite_url
from tests.test_cli import run


def test_demo_documents_then_render_each_kind(tmp_path, isolated_home) -> None:
    url = sqlite_url(tmp_path / "demo.db")
    made = run("demo", "--identities", "200", "--opportunities", "60", "--db", url, "--json", home=isolated_home)
    assert made.returncode == 0, made.stderr
    counts = json.loads(made.stdout)
    # Each invoice is made from a won deal's accepted quote; 15 more quotes are drafts, sent, expired or rejected.
    assert counts["quotes"] >= 15 + counts["invoices"]
    assert counts["invoices"] == 10 and counts["returns"] == 1 and counts["receipts"] >= 8 and counts["contracts"] == 1
    pages = {}
    for kind in ("quote", "invoice", "contract", "return", "receipt", "payment"):
        out = tmp_path / f"{kind}.pdf"
        result = run("render", kind, "۱", "--db", url, "-o", str(out), "--json", home=isolated_home)
        assert result.returncode == 0, result.stdout + result.stderr
        assert json.loads(result.stdout)["file"] == str(out) and out.read_bytes().startswith(b"%PDF")
    services = Services(Database(url, create=False))
    # Two of the demo invoices are long enough for two pages. Dated after their deals closed, they may
    # fall in two fiscal years (numbered from 1 in each), so they are found by listing, not by number.
    issued = services.invoices.search(SYSTEM, InvoiceQuery(state=DocumentState.ISSUED))
    assert len(issued) == 10
    for number, invoice in enumerate(issued):
        out = tmp_path / f"invoice-{number}.pdf"
        out.write_bytes(services.printing.pdf(SYSTEM, "invoice", invoice.id))
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        pages[number] = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    services.db.dispose()
    assert sorted(pages.values())[-2:] == [2, 2]
    text = run("render", "invoice", "99", "--db", url, "-o", str(tmp_path / "x.pdf"), home=isolated_home)
    assert text.returncode == 1 and "پیدا نشد" in text.stdout
    wrong = run(
        "render", "invoice", "1", "--year", "1390", "--db", url, "-o", str(tmp_path / "y.pdf"), home=isolated_home
    )
    assert wrong.returncode == 1
