"""What the receipt / payment form checks as the rep works: allocations that follow a lowered
amount, and a refund asked about while the customer still owes money."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from app.persian import format_money
from app.ui.ops import op

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services


def fit_allocations(amount: int, shares: list[int]) -> list[int]:
    """`shares` (in the table's order: oldest invoice first) lowered to add up to at most `amount`,
    the last ones first: the oldest invoices stay settled, as «تخصیص خودکار» settles them."""
    fitted, left = [], max(amount, 0)
    for share in shares:
        fitted.append(min(share, left))
        left -= fitted[-1]
    return fitted


def refund_confirmed(parent: QWidget, services: Services, actor: Actor, identity_id, amount: int) -> bool:
    """True unless the customer still owes money and the rep, told how much, does not confirm the
    refund (paying back someone who owes is usually a mistake: the credit should settle the debt)."""
    balance = op(parent, lambda: services.balances.identity_balance(actor, identity_id)).run()
    if balance is None:
        return False  # the read failed and was shown
    if balance.balance <= 0:
        return True
    answer = QMessageBox.question(
        parent,
        "استرداد وجه",
        f"این مشتری هنوز {format_money(balance.balance)} بدهکار است.\n"
        f"با این حال {format_money(amount)} به او پرداخت شود؟",
    )
    return answer == QMessageBox.StandardButton.Yes
