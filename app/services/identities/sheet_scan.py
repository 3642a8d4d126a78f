"""A streaming look at an XLSX file's first sheet before anything loads it whole.

calamine allocates the rectangle from A1 to the last cell with a value: a 4.7 KB file with one value
in XFD1048576 asks for 549,755,813,888 bytes and the process aborts (no exception to catch). This scan
reads the sheet's XML as a stream (memory independent of the file), finds the real extent of the
values, refuses sheets beyond the import limits in Persian, and notes formula cells whose value was
never calculated (they would silently read as empty).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import iterparse

from app.persian import format_number
from app.services.core.errors import ServiceError

MAX_ROWS = 200_000  # rows of data in one import (the header is one more)
MAX_COLUMNS = 256
MAX_CELLS = 10_000_000  # rows × columns as loaded: about 400 MB at most
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class SheetScan:
    rows: int = 0  # the last row holding a value
    columns: int = 0  # the last column holding a value
    # formula cells without a stored value: (sheet row, cell reference «C5»)
    uncalculated: list[tuple[int, str]] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _member(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))


def _first_sheet(book: zipfile.ZipFile) -> str:
    """The zip member of the workbook's first sheet (the one calamine reads as index 0)."""
    with book.open("_rels/.rels") as f:
        main = next((el.get("Target") for _, el in iterparse(f) if "officeDocument" in el.get("Type", "")), None)
    workbook = _member("", main or "xl/workbook.xml")
    folder, name = posixpath.split(workbook)
    with book.open(workbook) as f:
        rel_id = next((el.get(_REL) for _, el in iterparse(f) if _local(el.tag) == "sheet"), None)
    with book.open(posixpath.join(folder, "_rels", f"{name}.rels")) as f:
        target = next((el.get("Target") for _, el in iterparse(f) if el.get("Id") == rel_id), None)
    if not target:
        raise KeyError("no worksheet")  # read_table's «not CSV or XLSX»
    return _member(folder, target)


def too_big(rows: int, columns: int = 0) -> str:
    """`rows` counts the header, as the spreadsheet numbers them."""
    return (
        f"فایل بیش از حد بزرگ است (دست‌کم {format_number(rows)} ردیف"
        + (f" و {format_number(columns)} ستون" if columns else "")
        + f")؛ هر بار حداکثر {format_number(MAX_ROWS)} ردیف و {format_number(MAX_COLUMNS)} ستون وارد کنید."
    )


def scan(path: Path) -> SheetScan:
    """The first sheet's real extent; raises ServiceError beyond the limits. Reads the file only."""
    result = SheetScan()
    with zipfile.ZipFile(path) as book, book.open(_first_sheet(book)) as sheet:
        row = column = 0
        rows_parent = None
        for event, el in iterparse(sheet, events=("start", "end")):
            name = _local(el.tag)
            if event == "start":
                if name == "row":
                    row = int(el.get("r") or row + 1)
                    column = 0
                elif name == "sheetData":
                    rows_parent = el
                continue
            if name != "c":
                if name == "row" and rows_parent is not None:
                    rows_parent.clear()  # the stream keeps no rows behind it
                continue
            match = _REF.fullmatch(el.get("r") or "")
            column = _column_number(match[1]) if match else column + 1
            row = int(match[2]) if match else row
            parts = {_local(child.tag): (child.text or "") for child in el}
            if "f" in parts and not parts.get("v"):
                result.uncalculated.append((row, el.get("r") or f"R{row}C{column}"))
            elif parts.get("v") or "is" in parts:
                result.rows, result.columns = max(result.rows, row), max(result.columns, column)
            if result.rows > MAX_ROWS + 1 or result.columns > MAX_COLUMNS:
                raise ServiceError(too_big(result.rows, result.columns))
    if result.rows * result.columns > MAX_CELLS:
        raise ServiceError(too_big(result.rows, result.columns))
    return result
