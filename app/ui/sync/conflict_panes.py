"""The conflicts inbox's parts: one version's box (value, who and when), the editor that combines two
texts, and the question which of two duplicate identities stays."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.sync.conflicts import ConflictView
from app.ui import format as fmt

OFFICE = "نسخهٔ دفتر"
THIS_COMPUTER = "نسخهٔ این رایانه"
LAPTOP = "نسخهٔ رایانهٔ همراه"
RLM = "\u200f"


def rtl(text: str) -> str:
    """Each line read right to left, also one that starts with a Latin name, a digit or a dash."""
    return "\n".join(RLM + line for line in text.split("\n")) if text else ""


def who_and_when(who: str, at) -> str:
    parts = [p for p in (who, fmt.datetime(at) if at else "") if p]
    return " — ".join(parts)


class VersionBox(QGroupBox):
    """One side of a conflict: its value as people read it, then who made it and when."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        layout = QVBoxLayout(self)
        self.who = QLabel(wordWrap=True)
        self.who.setStyleSheet("color: #555;")
        self.value = QLabel(wordWrap=True)
        self.value.setTextFormat(Qt.TextFormat.PlainText)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.who)
        layout.addWidget(self.value)
        layout.addStretch(1)

    def show_version(self, text: str, who: str, at) -> None:
        self.value.setText(rtl(text))
        self.who.setText(rtl(who_and_when(who, at)))

    def clear(self) -> None:
        self.value.clear()
        self.who.clear()


def combined_text(view: ConflictView) -> str:
    """Both texts, the office's first, as the editor opens with them (one when both are the same)."""
    parts = [v for v in (view.server_value, view.device_value) if isinstance(v, str) and v.strip()]
    return "\n".join(dict.fromkeys(parts))


class MergeEditor(QDialog):
    """«ادغام»: both versions of a text in one editor; the person keeps what they want of each."""

    def __init__(self, view: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"ادغام «{view.field_label}»")
        self.resize(560, 320)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("متن هر دو نسخه در زیر آمده است؛ آن را به شکل نهایی درآورید.", wordWrap=True))
        self.editor = QPlainTextEdit(combined_text(view))
        self.editor.setObjectName("mergeEditor")
        layout.addWidget(self.editor, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("ثبت متن ادغام‌شده")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.editor.toPlainText()


class SurvivorDialog(QDialog):
    """Which of two duplicate identities stays (the other is merged into it)."""

    def __init__(self, view: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("ادغام دو هویت")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("کدام هویت بماند؟ سوابق هویت دیگر به آن منتقل می‌شود.", wordWrap=True))
        self._group = QButtonGroup(self)
        self._ids: dict[int, str] = {}
        choices = ((view.row_id, view.record_title, "ثبت‌شده در رایانهٔ همراه"),)
        choices += ((view.other_row_id or "", view.other_title, "موجود در دفتر"),)
        for n, (row_id, title, where) in enumerate(choices):
            radio = QRadioButton(f"«{title}» ({where})")
            radio.setObjectName(f"survivor_{n}")
            self._group.addButton(radio, n)
            self._ids[n] = row_id
            layout.addWidget(radio)
        self._group.button(1).setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("ادامه…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def keep_and_merged(self) -> tuple[str, str]:
        keep = self._group.checkedId()
        return self._ids[keep], self._ids[1 - keep]
