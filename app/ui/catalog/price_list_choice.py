"""The price list a form's lines are priced at: the choice (opportunity, quote, invoice) and the
question asked when it changes under existing lines, so one record never mixes two lists silently."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget

if TYPE_CHECKING:
    from app.services.core.actor import Actor
    from app.services.core.registry import Services

CUSTOMERS_OR_DEFAULT = "لیست قیمت مشتری / پیش‌فرض"


def price_list_combo(services: Services, actor: Actor) -> QComboBox:
    """The active lists, the customer's own list (else the default one) first."""
    combo = QComboBox(objectName="price_list_id")
    combo.addItem(CUSTOMERS_OR_DEFAULT, None)
    for row in services.price_lists.lists(actor, include_inactive=False):
        combo.addItem(row.name, row.id)
    return combo


def reprice_wanted(parent: QWidget) -> bool:
    """Asks whether the lines already added take the new list's prices (yes) or keep theirs (no)."""
    answer = QMessageBox.question(
        parent,
        "تغییر لیست قیمت",
        "قیمت محصولاتی که اضافه کرده‌اید با لیست قیمت تازه دوباره محاسبه شود؟\n"
        "(تخفیف‌ها همان می‌مانند؛ «خیر»: ردیف‌ها با قیمت فعلی می‌مانند.)",
    )
    return answer == QMessageBox.StandardButton.Yes
