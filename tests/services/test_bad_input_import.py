"""Bad spreadsheets (issue 13): never a crash, a Persian message or a row warning instead.

The declared-dimension bomb runs in a child process under an address-space limit, so a regression
fails this test instead of aborting pytest."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.services.catalog.products import ProductQuery
from app.services.core.errors import ServiceError
from app.services.identities import sheet_scan
from app.services.identities.service import IdentityQuery
from app.services.identities.table import guess_mapping

ROOT = Path(__file__).resolve().parents[2]


def xlsx(path: Path, rows: list[list], declare: bool = False, corner: bool = False) -> Path:
    """A small workbook; `declare` patches its dimension to A1:XFD1048576, `corner` also puts one
    value in that last cell (the 4.7 KB file that aborted the app)."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if corner:
        book.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if (declare or corner) and item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', data)
            out.writestr(item, data)
    return path


CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
from app.services.core.errors import ServiceError
from app.services.identities.importer import IdentityImportService
try:
    IdentityImportService.read(sys.argv[1])
except ServiceError as exc:
    print(exc.message)
"""


def test_a_sheet_declaring_a_million_rows_is_refused_in_bounded_memory(tmp_path) -> None:
    path = xlsx(tmp_path / "bomb.xlsx", [["کد", "نام"], ["P-1", "چاپگر"]], corner=True)
    assert path.stat().st_size < 6000
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]
    assert "بیش از حد بزرگ" in done.stdout and "۱٬۰۴۸٬۵۷۶ ردیف" in done.stdout


def test_the_declared_dimension_alone_is_not_trusted(services, tmp_path) -> None:
    table = services.identity_import.read(xlsx(tmp_path / "dim.xlsx", [["کد", "نام"], ["P-9", "چاپگر"]], True))
    assert table.headers == ["کد", "نام"] and table.rows == [["P-9", "چاپگر"]]


def test_rows_beyond_the_cap_are_refused_with_a_message(services, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sheet_scan, "MAX_ROWS", 3)
    rows = [["نام"], *[[f"نفر {i}"] for i in range(4)]]
    csv_path = tmp_path / "many.csv"
    csv_path.write_text("\n".join(r[0] for r in rows), encoding="utf-8")
    for path in (xlsx(tmp_path / "many.xlsx", rows), csv_path):
        with pytest.raises(ServiceError, match="حداکثر ۳ ردیف"):
            services.identity_import.read(path)
    services.identity_import.read(xlsx(tmp_path / "three.xlsx", rows[:4]))  # at the cap: read


def test_a_huge_csv_field_is_a_row_error_not_a_traceback(services, tmp_path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("نام,توضیحات\nعلی,کوتاه\nرضا," + "ب" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(ServiceError, match="ردیف ۳ .*نویسه"):
        services.identity_import.read(path)


def test_a_formula_without_a_stored_value_is_a_row_warning(services, admin, tmp_path) -> None:
    path = xlsx(tmp_path / "f.xlsx", [["نام خانوادگی", "موبایل", "توضیحات"], ["کریمی", "09121234567", "=A2&B2"]])
    table = services.identity_import.read(path)
    result = services.identity_import.run(admin, table, guess_mapping(table.headers))
    assert result.created == 1
    assert [(w.row_number, "C2" in w.reason) for w in result.warnings] == [(2, True)]


def test_control_and_override_characters_in_cells_are_stripped_and_reported(services, admin, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("نام خانوادگی,موبایل\nکریمی\x00,09121234567\n\u202eیزدانی,09121234568\n", encoding="utf-8")
    table = services.identity_import.read(path)
    result = services.identity_import.run(admin, table, guess_mapping(table.headers))
    assert result.created == 2 and [w.row_number for w in result.warnings] == [2, 3]
    assert "«نام خانوادگی»" in result.warnings[0].reason
    names = {i.display_name for i in services.identities.search(admin, IdentityQuery())}
    assert {"کریمی", "یزدانی"} <= names


def test_product_import_bad_cells(services, admin, tmp_path) -> None:
    path = xlsx(
        tmp_path / "p.xlsx",
        [
            ["کد", "نام", "واحد", "قیمت"],
            ["P-1", "چاپگر\u202e", "عدد", "1000"],  # stripped, warned
            ["P-2", "کاغذ", "و" * 31, "1000"],  # longer than the column: a row error
            ["P-3", "طلا", "گرم", "10000000000000000000"],  # beyond MAX_RIALS: a row error
        ],
    )
    result = services.product_import.run(admin, path)
    assert result.created == 1 and [n for n, _ in result.warnings] == [2]
    assert [n for n, _ in result.errors] == [3, 4]
    assert "حداکثر ۳۰ نویسه" in result.errors[0][1] and "سقف مجاز" in result.errors[1][1]
    assert [p.name for p in services.products.search(admin, ProductQuery(text="P-"))] == ["چاپگر"]


def test_a_name_stored_before_the_guard_still_exports(services, admin, tmp_path) -> None:
    from sqlalchemy import update

    from app.models import Identity
    from app.services.core.actor import SYSTEM
    from app.services.identities.records import IdentityData

    created = services.identities.create(admin, IdentityData(first_name="علی", last_name="کریمی"))
    # PostgreSQL never stored a NUL (it refuses one in text); older SQLite files may hold one.
    last_name = "کریمی\x00" if services.db.is_sqlite else "کریمی\x07"
    with services.db.write(SYSTEM) as s:  # as an older version wrote it, past today's check
        s.execute(update(Identity).where(Identity.id == created.id).values(last_name=last_name, display_name="علی\x1b"))
    path = tmp_path / "out.xlsx"
    assert services.identity_export.export(admin, IdentityQuery(), path) == 1
    assert "کریمی" in {row[4] for row in services.identity_import.read(path).rows}
