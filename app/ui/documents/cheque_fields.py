"""The cheque rows of the receipt form: number, Sayad id (شناسه صیادی), bank, branch, due date, and a
received cheque's state with a button for each move its workflow allows from there."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from app.models.enums import ChequeState
from app.persian import to_persian_digits as fa
from app.services.core.labels import CHEQUE_STATE
from app.services.documents.cheques import CHEQUE_FLOW
from app.services.documents.receipts import ReceiptView
from app.ui.common.flow_layout import FlowLayout
from app.ui.common.jalali_date_edit import JalaliDateEdit
from app.ui.qt_setup import make_ltr


class ChequeFields:
    def __init__(self, on_move: Callable[[ChequeState], None]) -> None:
        self._on_move = on_move
        self.number = make_ltr(QLineEdit(objectName="cheque_number"))
        self.sayad = make_ltr(QLineEdit(objectName="cheque_sayad", placeholderText="۱۶ رقم"))
        self.bank = QLineEdit(objectName="cheque_bank")
        self.branch = QLineEdit(objectName="cheque_branch")
        self.due = JalaliDateEdit()
        self.due.setNullable(True)
        self.state = QWidget(objectName="cheque_state")
        self.state_label = QLabel(objectName="chequeStateLabel")
        self._moves = FlowLayout(self.state)  # three moves, squeezed and cut in a narrow record area
        self._moves.setContentsMargins(0, 0, 0, 0)
        self._moves.addWidget(self.state_label)
        self.move_buttons: dict[ChequeState, QPushButton] = {}

    def rows(self) -> tuple[tuple[str, str, QWidget], ...]:
        """(key, label, editor) in form order; the keys are the service's field names."""
        return (
            ("cheque_number", "شماره چک *", self.number),
            ("cheque_sayad", "شناسه صیادی *", self.sayad),
            ("cheque_bank", "بانک *", self.bank),
            ("cheque_branch", "شعبه", self.branch),
            ("cheque_due", "تاریخ سررسید چک *", self.due),
            ("cheque_state", "وضعیت چک", self.state),
        )

    def edited_signals(self) -> tuple:
        return (self.number.textEdited, self.sayad.textEdited, self.bank.textEdited, self.branch.textEdited)

    def load(self, view: ReceiptView) -> None:
        self.number.setText(view.cheque_number)
        self.sayad.setText(fa(view.cheque_sayad))
        self.bank.setText(view.cheque_bank)
        self.branch.setText(view.cheque_branch)
        self.due.set_date_value(view.cheque_due)
        self.show_state(view.cheque_state)

    def show_state(self, state: ChequeState | None) -> None:
        """The state's name and one button per allowed move (none for cheques without a state)."""
        for button in self.move_buttons.values():
            self._moves.removeWidget(button)
            button.deleteLater()
        self.move_buttons = {}
        self.state_label.setText(CHEQUE_STATE[state] if state else "")
        for target in CHEQUE_FLOW.targets(state) if state else ():
            button = QPushButton(CHEQUE_FLOW.action(state, target), objectName=f"cheque_{target.value}")
            button.clicked.connect(lambda _=False, t=target: self._on_move(t))
            self._moves.addWidget(button)
            self.move_buttons[target] = button
