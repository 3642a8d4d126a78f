"""The admin's views of every change and of the recycle bin."""

from __future__ import annotations

from app.models import Identity, IdentityKind
from app.ui.admin.admin_history import ChangesDialog, RecycleBinDialog


def _person(services, admin, name: str) -> Identity:
    with services.db.write(admin) as s:
        person = Identity(kind=IdentityKind.PERSON, display_name=name, name_key=name, owner_id=admin.user_id)
        s.add(person)
    return person


def test_changes_are_listed_by_user_and_period(qtbot, services, admin) -> None:
    _person(services, admin, "پریسا")
    dialog = ChangesDialog(services, admin, [(admin.display_name, admin.user_id)])
    qtbot.addWidget(dialog)
    texts = [dialog.table.item(r, c).text() for r in range(dialog.table.rowCount()) for c in range(5)]
    assert "ایجاد" in texts and admin.display_name in texts and any("پریسا" in t for t in texts)
    dialog.user.setCurrentIndex(dialog.user.count() - 1)
    dialog.refresh()
    assert dialog.table.rowCount() >= 1


def test_a_deleted_record_is_restored_from_the_recycle_bin(qtbot, services, admin) -> None:
    person = _person(services, admin, "کاوه")
    services.identities.soft_delete(admin, person.id)
    dialog = RecycleBinDialog(services, admin)
    qtbot.addWidget(dialog)
    assert dialog.table.item(0, 1).text() == "کاوه"
    dialog.table.setCurrentCell(0, 0)  # selectRow() selects nothing in a right-to-left table (Qt 6)
    dialog.restore_selected()
    assert dialog.table.rowCount() == 0 and "بازیابی شد" in dialog.message.text()
    assert services.recycle_bin.deleted(admin) == []
