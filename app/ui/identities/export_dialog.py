"""«خروجی فهرست»: the identity list as it is filtered and sorted now, to XLSX or CSV, in the background."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from app.persian import format_number
from app.services.core.xlsx_export import ExportCancelled
from app.ui.tasks import TaskCancelled, run_with_progress

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.services.identities.service import IdentityQuery

FILTERS = "اکسل (*.xlsx);;CSV (*.csv)"


def export_identities(parent: QWidget, services: Services, actor: Actor, query: IdentityQuery):
    """Asks where, then exports in a background task with progress and cancel; returns the Task."""
    path, chosen = QFileDialog.getSaveFileName(parent, "خروجی هویت‌ها", str(Path.home() / "هویت‌ها.xlsx"), FILTERS)
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        target = target.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")
    return start_export(parent, services, actor, query, target)


def start_export(parent: QWidget | None, services: Services, actor: Actor, query: IdentityQuery, target: Path):
    def work(context):
        try:
            return services.identity_export.export(actor, query, target, context.report, context.cancelled)
        except ExportCancelled:
            raise TaskCancelled() from None

    def done(count: int) -> None:
        window = parent.window() if parent is not None else None
        if window is not None and hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"{format_number(count)} هویت در «{target.name}» ذخیره شد.", 6000)

    return run_with_progress(parent, "خروجی هویت‌ها", work, on_done=done)
