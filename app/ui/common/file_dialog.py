"""Qt's own file dialog in Persian: where the platform has no native dialog (Linux without a desktop
portal), qtbase_fa leaves «Look in», «Files of type» and the file types in English, and the dates are
Gregorian with Latin digits. Windows and macOS show their native dialogs, which this never touches."""

from __future__ import annotations

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QFileSystemModel

from app.persian import format_date, to_persian_digits

LABELS = {
    QFileDialog.DialogLabel.LookIn: "پوشه:",
    QFileDialog.DialogLabel.FileName: "نام پرونده:",
    QFileDialog.DialogLabel.FileType: "نوع پرونده:",
}
NAME, SIZE, TYPE, MODIFIED = range(4)  # QFileSystemModel's columns
_UNITS = (("گیگابایت", 1 << 30), ("مگابایت", 1 << 20), ("کیلوبایت", 1 << 10))


def size_text(size: int) -> str:
    """1536 → «۱٫۵ کیلوبایت», 20 → «۲۰ بایت»."""
    for unit, scale in _UNITS:
        if size >= scale:
            return f"{to_persian_digits(f'{size / scale:.1f}'.removesuffix('.0')).replace('.', '٫')} {unit}"
    return f"{to_persian_digits(str(size))} بایت"


class PersianFileModel(QIdentityProxyModel):
    """The dialog's file list with Persian sizes and types and Jalali dates."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        source = self.sourceModel()
        if role != Qt.ItemDataRole.DisplayRole or not isinstance(source, QFileSystemModel) or index.column() == NAME:
            return super().data(index, role)
        item = self.mapToSource(index)
        if index.column() == MODIFIED:
            modified = source.lastModified(item).toPython()
            return f"{format_date(modified.date())} {to_persian_digits(f'{modified:%H:%M}')}"
        if source.isDir(item):
            return "پوشه" if index.column() == TYPE else ""
        if index.column() == SIZE:
            return size_text(source.size(item))
        suffix = source.fileInfo(item).suffix()
        return f"پرونده {suffix}" if suffix else "پرونده"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        return self.sourceModel().headerData(section, orientation, role)


def persianise(dialog: QFileDialog) -> None:
    """Labels and the file list of a Qt file dialog in Persian (once per dialog)."""
    if isinstance(dialog.proxyModel(), PersianFileModel):
        return
    for label, text in LABELS.items():
        dialog.setLabelText(label, text)
    dialog.setProxyModel(PersianFileModel(dialog))
