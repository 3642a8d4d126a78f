"""«خروجی اکسل» of a list: the user picks a file, then its rows, under its visible columns and in its
order, are written off the GUI thread behind a progress dialog with cancel.

The caller snapshots the list's query (filters, search, sort) on the GUI thread and hands over
`pages()` and `count()`, which the worker calls: they run the list's own service query, paged in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHeaderView, QWidget

from app.persian import format_number
from app.services.core.xlsx_export import ExportCancelled, SheetColumn, write_list
from app.ui.common.lazy_table import Column
from app.ui.tasks import Task, TaskCancelled, run_with_progress

EXPORT_TEXT = "خروجی اکسل…"  # as on the reports dock and the dashboard: a file dialog follows
FILTER = "اکسل (*.xlsx)"


def sheet_columns(
    columns: Sequence[Column],
    money: dict[str, Callable[[object], int | None]],
    header: QHeaderView | None = None,
    texts: dict[str, Callable[[object], str]] | None = None,
) -> list[SheetColumn]:
    """The columns the view shows (hidden ones left out), in the view's order, with their headers;
    a money column's value is the integer amount, every other one the text the list shows (or, for an
    icon column, the text of `texts`)."""
    texts = texts or {}
    order = range(len(columns))
    if header is not None:
        order = sorted((i for i in order if not header.isSectionHidden(i)), key=header.visualIndex)
    chosen = []
    for i in order:
        column = columns[i]
        if column.key in money:
            chosen.append(SheetColumn(column.header, money[column.key], money=True))
        else:
            chosen.append(SheetColumn(column.header, texts.get(column.key, column.display)))
    return chosen


def ask_path(parent: QWidget, title: str, name: str) -> Path | None:
    """The save dialog (Qt's own one is made Persian by the app's style); None when the user cancels."""
    name = name.translate(str.maketrans('/\\:*?"<>|', "---------"))  # a report title may hold «/»
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / f"{name}.xlsx"), FILTER)
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.lower() == ".xlsx" else target.with_name(target.name + ".xlsx")


def start_export(
    parent: QWidget,
    title: str,
    target: Path,
    columns: Sequence[SheetColumn],
    pages: Callable[[], Iterable[Sequence]],
    count: Callable[[], int],
) -> Task:
    """Writes the list to `target` in a background task; the status bar says how many rows."""

    def work(context):
        try:
            return write_list(target, title, columns, pages(), count(), context.report, context.cancelled)
        except ExportCancelled:
            raise TaskCancelled() from None

    def done(written: int) -> None:
        window = parent.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"{format_number(written)} ردیف در «{target.name}» ذخیره شد.", 6000)

    return run_with_progress(parent, title, work, on_done=done)


def export_list(
    parent: QWidget,
    title: str,
    columns: Sequence[SheetColumn],
    pages: Callable[[], Iterable[Sequence]],
    count: Callable[[], int],
) -> Task | None:
    """Asks where, then exports; None when the user cancels the file dialog."""
    target = ask_path(parent, f"خروجی اکسل — {title}", title)
    return None if target is None else start_export(parent, title, target, columns, pages, count)
