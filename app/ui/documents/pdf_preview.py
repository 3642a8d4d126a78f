"""Preview a document's PDF, print it on a local printer, save it, or open it in the system viewer.

The PDF comes from the service (ReportLab, no Qt); QtPdf (package PySide6-Pdf) shows it and renders
each page to an image for the printer at the printer's resolution.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from app.persian import format_number
from app.ui.errors import show_error
from app.ui.ops import op


def load_pdf(pdf: bytes, parent=None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over the bytes (keep the buffer alive as long as the document)."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    return document, buffer


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Paints every page (or the dialog's range) on the printer; returns the pages printed."""
    first, last = 1, document.pageCount()
    if printer.fromPage() > 0:
        first, last = max(printer.fromPage(), 1), min(printer.toPage() or last, last)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    printed = 0
    try:
        for page in range(first - 1, last):
            if printed:
                printer.newPage()
            target = painter.viewport()
            size = document.pagePointSize(page)
            dpi = printer.resolution()
            image = document.render(page, QSize(int(size.width() / 72 * dpi), int(size.height() / 72 * dpi)))
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(target.x(), target.y(), image.scaled(scaled, Qt.AspectRatioMode.KeepAspectRatio))
            printed += 1
    finally:
        painter.end()
    return printed


class PdfPreviewDialog(QDialog):
    def __init__(self, pdf: bytes, title: str, file_name: str = "document.pdf", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"پیش‌نمایش — {title}")
        self.resize(820, 960)
        self._pdf, self._file_name = pdf, file_name
        self.document, self._buffer = load_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # pages are not mirrored
        pages = QLabel(f"{format_number(self.document.pageCount())} صفحه")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button = QPushButton("چاپ… (Ctrl+P)", shortcut="Ctrl+P")
        self.save_button = QPushButton("ذخیره PDF…")
        self.open_button = QPushButton("باز کردن در نمایشگر PDF")
        for button in (self.print_button, self.save_button, self.open_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_)
        self.save_button.clicked.connect(self.save_as)
        self.open_button.clicked.connect(self.open_external)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(pages)
        layout.addWidget(buttons)

    def print_(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._file_name)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(self.document.pageCount(), 1))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if print_document(self.document, printer) == 0:
            show_error(self, "چاپ انجام نشد. چاپگر را بررسی کنید و دوباره امتحان کنید.")

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "ذخیره PDF", str(Path.home() / self._file_name), "PDF (*.pdf)")
        if path:
            self.write(Path(path))

    def write(self, path: Path) -> None:
        try:
            path.write_bytes(self._pdf)
        except OSError as exc:
            show_error(self, "ذخیره فایل ممکن نشد. پوشه یا نام دیگری انتخاب کنید.", str(exc))

    def open_external(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="peyvand-"))
        path = folder / self._file_name
        self.write(path)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            show_error(self, "نمایشگر PDF پیدا نشد. فایل را ذخیره کنید و با برنامه دیگری باز کنید.")


def preview(parent: QWidget, services, actor, kind: str, record_id, title: str, file_name: str) -> None:
    """Makes the PDF through the service, off the GUI thread, and shows it (errors in Persian)."""
    pdf = op(parent, lambda: services.printing.pdf(actor, kind, record_id)).run()
    if pdf is None:
        return
    dialog = PdfPreviewDialog(pdf, title, file_name, parent)
    dialog.exec()
