"""The central area: one tab per open record, like an IDE's editors.

Opening a record that is already open switches to its tab; unsaved tabs show a dot and ask
before closing. Each form sits in a scroll area (its page): a wide or tall form scrolls inside its
tab instead of raising the window's minimum size past a laptop screen.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QMessageBox, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.services.core.errors import AccessDenied, ServiceError
from app.ui.common.record_form import FORMS, RecordForm

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

DIRTY_MARK = "● "
OTHERS_RECORD = "این رکورد متعلق به کاربر دیگری است و شما اجازه دیدن آن را ندارید."


def _record_id(text: str):
    """A remembered id: records are keyed by UUID; other keys (the calendar's «me») stay text."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return text


class RefusedRecord(RecordForm):
    """Shown instead of a record the user may not open: a plain sentence, no form, no buttons."""

    def __init__(self, refusal: ServiceError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.denied = isinstance(refusal, AccessDenied)
        self.message = QLabel(OTHERS_RECORD if self.denied else refusal.message, wordWrap=True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setObjectName("refusedRecord")
        QVBoxLayout(self).addWidget(self.message)

    def title(self) -> str:
        return "بدون دسترسی" if self.denied else "پیدا نشد"


class _Page(QScrollArea):
    """A tab's page: the form fills it when there is room and scrolls when there is not."""

    def __init__(self, form: RecordForm) -> None:
        super().__init__(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.setWidget(form)


class RecordTabs(QTabWidget):
    sig_record_opened = Signal(str, object)
    """Emitted with (kind, id) whenever a record's tab is opened or brought forward."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, documentMode=True, tabsClosable=True, movable=True)
        self._services: Services | None = None
        self._actor: Actor | None = None
        self.tabCloseRequested.connect(self.close_tab)

    def attach(self, services: Services, actor: Actor) -> None:
        self._services, self._actor = services, actor

    def open_record(self, kind: str, record_id=None) -> RecordForm:
        """Shows the record's tab, opening it if needed; `record_id=None` opens a new, empty record.
        A record the user may not open (a colleague's customer, a deleted one) gets a tab that says so."""
        if record_id is not None:
            for index in range(self.count()):
                form = self.widget(index)
                if isinstance(form, RecordForm) and form.property("record_key") == (kind, str(record_id)):
                    self.setCurrentIndex(index)
                    self.sig_record_opened.emit(kind, record_id)
                    return form
        try:
            form = FORMS[kind](self._services, self._actor, record_id, self)
        except ServiceError as refusal:
            self._drop_unfinished_forms()
            form = RefusedRecord(refusal)
        self._add(form, kind, record_id)
        if record_id is not None and not isinstance(form, RefusedRecord):
            self.sig_record_opened.emit(kind, record_id)
        return form

    def _add(self, form: RecordForm, kind: str, record_id) -> None:
        form.setProperty("record_key", (kind, str(record_id)))
        index = self.addTab(_Page(form), form.title() or "…")
        form.sig_title_changed.connect(lambda _t, f=form: self._retitle(f))
        form.sig_dirty_changed.connect(lambda _d, f=form: self._retitle(f))
        form.sig_open_record.connect(self.open_record)
        self.setCurrentIndex(index)

    def _drop_unfinished_forms(self) -> None:
        """A form whose constructor raised is still our child (its parent was set first): delete it."""
        for child in self.findChildren(RecordForm, options=Qt.FindChildOption.FindDirectChildrenOnly):
            child.deleteLater()

    # --- remembered across a restart (ui.md: tabs are restored) --------------------------------
    def open_keys(self) -> list[str]:
        """The open records as "kind:id", in tab order; new records and refusals are not remembered."""
        keys = []
        for index in range(self.count()):
            form = self.widget(index)
            if isinstance(form, RecordForm) and not isinstance(form, RefusedRecord):
                kind, record_id = form.property("record_key")
                if record_id != "None":
                    keys.append(f"{kind}:{record_id}")
        return keys

    def reopen(self, keys: list[str]) -> None:
        """Opens the remembered records that still exist and the user may still open; others are skipped."""
        for key in keys:
            kind, _, text = key.partition(":")
            if kind not in FORMS or not text:
                continue
            record_id = _record_id(text)
            try:
                form = FORMS[kind](self._services, self._actor, record_id, self)
            except ServiceError:
                self._drop_unfinished_forms()
                continue
            self._add(form, kind, record_id)

    # The tabs hold pages; callers deal in forms, so these answer with the form inside the page.
    def widget(self, index: int) -> QWidget | None:
        page = super().widget(index)
        return page.widget() if isinstance(page, _Page) else page

    def currentWidget(self) -> QWidget | None:
        return self.widget(self.currentIndex())

    def indexOf(self, widget: QWidget) -> int:
        return next((i for i in range(self.count()) if self.widget(i) is widget), super().indexOf(widget))

    def setCurrentWidget(self, widget: QWidget) -> None:
        """A form is brought forward by its page (the tab holds the page, not the form)."""
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)

    def page_of(self, form: RecordForm) -> QScrollArea | None:
        page = super().widget(self.indexOf(form))
        return page if isinstance(page, _Page) else None

    def _retitle(self, form: RecordForm) -> None:
        index = self.indexOf(form)
        if index >= 0:
            self.setTabText(index, (DIRTY_MARK if form.is_dirty() else "") + (form.title() or "…"))

    def save_current(self) -> bool:
        form = self.currentWidget()
        return form.save() if isinstance(form, RecordForm) else False

    def close_tab(self, index: int) -> bool:
        """Closes a tab, asking first when it has unsaved edits; False if the user keeps it open."""
        form = self.widget(index)
        if not isinstance(form, RecordForm):
            return False  # the welcome page stays
        if form.is_dirty() and not self._confirm_close(form):
            return False
        page = super().widget(index)
        self.removeTab(index)
        page.deleteLater()  # and the form inside it
        return True

    def _confirm_close(self, form: RecordForm) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            "تغییرات ذخیره نشده",
            f"«{form.title()}» تغییرات ذخیره‌نشده دارد. ذخیره شود؟",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            return form.save()
        return answer == buttons.Discard

    def close_all(self) -> bool:
        """Before the window closes: every dirty tab is saved, discarded or keeps the window open."""
        for index in reversed(range(self.count())):
            if isinstance(self.widget(index), RecordForm) and not self.close_tab(index):
                return False
        return True
