"""Application-wide Qt setup: right-to-left Persian UI, Jalali calendar, bundled fonts, style sheet."""

from __future__ import annotations

import logging
from typing import TypeVar

from PySide6.QtCore import QCalendar, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QFileDialog, QPlainTextEdit, QProxyStyle, QWidget

from app.config import resources_dir
from app.ui.common import file_dialog

log = logging.getLogger(__name__)

FONT_FAMILY = "Vazirmatn"
FONT_POINT_SIZE = 10
_FONT_FILES = ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf")

# QCoreApplication.installTranslator does not keep the translator alive; a collected translator
# silently turns the standard buttons back into English.
_translators: list[QTranslator] = []

W = TypeVar("W", bound=QWidget)


def persian_locale() -> QLocale:
    return QLocale(QLocale.Language.Persian, QLocale.Country.Iran)


def jalali_calendar() -> QCalendar:
    return QCalendar(QCalendar.System.Jalali)


def make_ltr(widget: W) -> W:
    """Phone numbers, e-mail, codes and IBANs read left to right even inside a right-to-left form."""
    widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return widget


class PersianStyle(QProxyStyle):
    """The platform style, plus what every widget of a right-to-left Persian program needs when it
    is first shown (one place, so no form can forget it)."""

    def polish(self, target):  # noqa: ANN001, ANN201  (Qt overloads: widget, palette, application)
        if isinstance(target, QPlainTextEdit):
            align_plain_text(target)
        elif isinstance(target, QFileDialog):
            file_dialog.persianise(target)  # only Qt's own dialog is polished; a native one is not
        return super().polish(target)


def align_plain_text(edit: QPlainTextEdit) -> None:
    """A QPlainTextEdit puts every line at the left edge, Persian too; QTextEdit follows the layout
    direction by itself. Right-to-left editors align their lines right."""
    option = edit.document().defaultTextOption()
    leading = Qt.AlignmentFlag.AlignRight if edit.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
    option.setAlignment(leading)
    edit.document().setDefaultTextOption(option)


def configure_application(app: QApplication) -> None:
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    if not isinstance(app.style(), PersianStyle):
        app.setStyle(PersianStyle())
    QLocale.setDefault(persian_locale())
    _install_qt_translations(app)
    _load_fonts(app)
    _load_style_sheet(app)


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own Persian strings, so standard buttons read «تأیید» / «انصراف»."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(persian_locale(), "qtbase", "_", folder):
        app.installTranslator(translator)
        _translators.append(translator)
    else:
        log.warning("Qt Persian translations (qtbase_fa) not found in %s", folder)


def _load_fonts(app: QApplication) -> None:
    """Without a bundled font every Persian string renders as boxes on a machine with no fonts."""
    for name in _FONT_FILES:
        path = resources_dir() / "fonts" / name
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("Could not load font %s", path)
    app.setFont(QFont(FONT_FAMILY, FONT_POINT_SIZE))


def _load_style_sheet(app: QApplication) -> None:
    path = resources_dir() / "styles" / "app.qss"
    if path.is_file():
        app.setStyleSheet(path.read_text(encoding="utf-8"))
