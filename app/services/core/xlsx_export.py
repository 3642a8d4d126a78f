"""Any list to an XLSX sheet, as the user sees it: streamed from pages of the list's own service query
into openpyxl's write-only book, so a list of 200,000 rows never sits in memory at once.

The sheet is right-to-left with a bold, frozen header row; money is written as integer Rials with a
thousands format (a spreadsheet sums it), everything else as the list shows it (dates as Jalali text).
Text is cleaned of unsafe characters and formula-like cells are neutralised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.persian import format_number
from app.services.core.errors import ServiceError
from app.services.core.text_guard import strip_unsafe

PAGE = 2_000
MONEY_FORMAT = "#,##0"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
Progress = Callable[[int, int, str], None]


class ExportCancelled(ServiceError):
    def __init__(self) -> None:
        super().__init__("خروجی گرفتن لغو شد.")


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading quote."""
    return "'" + value if value and value[0] in DANGEROUS else value


@dataclass(frozen=True)
class SheetColumn:
    """One column of the sheet: its Persian header and a row's value (text; an int for money)."""

    header: str
    value: Callable[[Any], object]
    money: bool = False


class XlsxSheet:
    """A write-only book of one right-to-left sheet under a bold, frozen header row."""

    def __init__(self, path: Path, headers: Sequence[str], title: str) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self.path = Path(path)
        self._book = Workbook(write_only=True)
        # Excel refuses sheet names over 31 characters or with []:*?/\
        self._sheet = self._book.create_sheet(title[:31].translate(str.maketrans("[]:*?/\\", "()-----")))
        self._sheet.sheet_view.rightToLeft = True
        self._sheet.freeze_panes = "A2"
        self._bold = Font(bold=True)
        self._sheet.append([self._cell(h, bold=True) for h in headers])
        self._saving = False

    def _cell(self, value: object, bold: bool = False, money: bool = False):
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, str) or value is None:
            value = neutralise(strip_unsafe(value or ""))  # rows stored before text_guard
        cell = WriteOnlyCell(self._sheet, value=value)
        if bold:
            cell.font = self._bold
        if money and isinstance(value, int):
            cell.number_format = MONEY_FORMAT
        return cell

    def append(self, values: Sequence[object], money: Sequence[bool] = ()) -> None:
        money = list(money) or [False] * len(values)
        self._sheet.append([self._cell(v, money=m) for v, m in zip(values, money, strict=True)])

    def close(self) -> None:
        self._saving = True
        try:
            self._book.save(self.path)
        except OSError as exc:
            self.abort()
            raise ServiceError(f"فایل «{self.path.name}» ساخته نشد: {exc.strerror or exc}") from exc

    def abort(self) -> None:
        """Stops without leaving a partial file behind. Nothing reaches the disk before close(), so a
        file the user chose to replace stays untouched when the export is cancelled."""
        if self._saving:
            self.path.unlink(missing_ok=True)
            return
        # The rows so far sit in openpyxl's temporary file: finish its stream and remove it now, not
        # at the program's exit.
        self._sheet.close()
        self._sheet._writer.cleanup()


def paged(fetch: Callable[[int, int], Sequence], page: int = PAGE) -> Iterator[Sequence]:
    """The pages of a list query `fetch(offset, limit)`, in its order, until a short or empty page."""
    offset = 0
    while True:
        rows = fetch(offset, page)
        if rows:
            yield rows
        if len(rows) < page:
            return
        offset += len(rows)


def write_list(
    path: Path,
    title: str,
    columns: Sequence[SheetColumn],
    pages: Iterable[Sequence],
    total: int,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Writes the rows of `pages` (as they come) under the columns' headers to the XLSX file `path`;
    returns how many rows. Raises ExportCancelled when `cancelled()` turns true (no file is left) and
    ServiceError when the file cannot be written."""
    sheet = XlsxSheet(path, [c.header for c in columns], title)
    money = [c.money for c in columns]
    written = 0
    try:
        for rows in pages:
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            for row in rows:
                sheet.append([c.value(row) for c in columns], money)
            written += len(rows)
            if progress is not None:
                progress(written, total, f"ردیف {format_number(written)} از {format_number(total)}")
        if cancelled is not None and cancelled():
            raise ExportCancelled()
    except BaseException:
        sheet.abort()
        raise
    sheet.close()
    return written
