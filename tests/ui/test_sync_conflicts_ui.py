"""The conflicts inbox «تعارض‌ها»: it lists a rep's open conflicts, shows both versions with who and when,
and its buttons resolve them (the list follows the change bus)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from app.models import Identity, IdentityKind, Opportunity, SyncConflict
from app.persian import search_key
from app.services.core.actor import SYSTEM
from app.ui.qt_setup import configure_application
from app.ui.sync import conflict_panes
from app.ui.sync.conflicts_dialog import ConflictsDialog, open_conflicts
from tests.conftest import TEST_OUTPUT
from tests.services.access_world import build
from tests.services.test_sync_conflicts import LAPTOP_AT, OFFICE_AT, conflict, stored

WAIT = 10_000  # ms: a background read on a busy machine


@pytest.fixture
def world(services):
    configure_application(QApplication.instance())
    return build(services)


def inbox(qtbot, world, actor=None) -> ConflictsDialog:
    dialog = ConflictsDialog(world.services, actor or world.rep_a)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.summary.text() != "", timeout=WAIT)
    return dialog


def rows(dialog: ConflictsDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def text(label) -> str:
    """A version box's line as read (without the marks that keep it right to left)."""
    return label.text().replace(conflict_panes.RLM, "")


def shot(dialog: ConflictsDialog, name: str) -> None:
    TEST_OUTPUT.mkdir(exist_ok=True)
    dialog.grab().save(str(TEST_OUTPUT / name))


def visible_buttons(dialog: ConflictsDialog) -> set[str]:
    return {action for action, button in dialog.buttons.items() if button.isVisibleTo(dialog)}


def test_the_inbox_lists_open_conflicts_and_shows_both_versions(qtbot, world) -> None:
    opp = world.records["opportunity_a"]
    conflict(world, world.rep_a, "opportunities", opp, field="amount", server_value=2_500_000, device_value=3_000_000)
    conflict(world, world.rep_b, "opportunities", world.records["opportunity_b"], field="amount")
    dialog = inbox(qtbot, world)
    assert rows(dialog) == [["فرصت: فرصت a", "مبلغ", "ویرایش هم‌زمان", "باز"]]
    assert not dialog.open_button.isVisibleTo(dialog)  # no main window to open it in
    assert dialog.summary.text() == "۱ تعارض باز"
    assert (dialog.office_box.title(), dialog.device_box.title()) == ("نسخهٔ دفتر", "نسخهٔ رایانهٔ همراه")
    assert text(dialog.office_box.value) == "۲٬۵۰۰٬۰۰۰ ریال" and text(dialog.device_box.value) == "۳٬۰۰۰٬۰۰۰ ریال"
    assert text(dialog.office_box.who).startswith("clerk — ") and "۱۴۰۵" in text(dialog.office_box.who)
    assert text(dialog.device_box.who).startswith("rep_a — ")
    assert visible_buttons(dialog) == {"server", "device"}
    assert dialog.layoutDirection().name == "RightToLeft"
    shot(dialog, "sync_conflicts_inbox.png")

    dialog.buttons["device"].click()
    assert stored(world, Opportunity, opp).amount == 3_000_000
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=WAIT)  # refreshed from the change bus
    assert dialog.summary.text() == "تعارض بازی نیست." and "ثبت شد" in dialog.message.text()
    dialog.settled.setChecked(True)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT)
    assert rows(dialog)[0][3] == "حل‌شده" and visible_buttons(dialog) == set()
    assert "rep_a" in dialog.explain.text()


def test_keep_the_office_version_and_restore_a_deleted_record(qtbot, world) -> None:
    opp = world.records["opportunity_a"]
    first = conflict(world, world.rep_a, "opportunities", opp, field="amount", server_value=1_000_000, device_value=5)
    with world.services.db.write(SYSTEM) as s:
        s.get(Opportunity, opp).deleted_at = OFFICE_AT
    conflict(world, world.rep_a, "opportunities", opp, kind="delete_update", device_value={"title": "فرصت برگشته"})
    dialog = inbox(qtbot, world)
    assert len(rows(dialog)) == 2
    dialog.table.setCurrentCell([v.id for v in dialog._views].index(first), 0)
    dialog.buttons["server"].click()
    assert stored(world, SyncConflict, first).resolution == "server"
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT)
    assert rows(dialog)[0][2] == "ویرایش رکورد حذف‌شده" and visible_buttons(dialog) == {"server", "restore"}
    assert text(dialog.device_box.value) == "عنوان: فرصت برگشته"
    assert text(dialog.office_box.value) == "این رکورد در دفتر حذف شده است."
    shot(dialog, "sync_conflicts_deleted.png")
    dialog.buttons["restore"].click()
    row = stored(world, Opportunity, opp)
    assert row.deleted_at is None and row.title == "فرصت برگشته"


def test_merge_opens_an_editor_with_both_texts(qtbot, world, monkeypatch) -> None:
    identity = world.records["identity_a"]
    conflict(world, world.rep_a, "identities", identity, field="description", server_value="دفتر", device_value="سفر")
    dialog = inbox(qtbot, world)
    seen = []

    def accept(editor) -> int:
        seen.append(editor.text())
        editor.editor.setPlainText("دفتر و سفر")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(conflict_panes.MergeEditor, "exec", accept)
    dialog.buttons["merge"].click()
    assert seen == ["دفتر\nسفر"]
    assert stored(world, Identity, identity).description == "دفتر و سفر"


def test_a_refused_change_shows_its_reason_and_is_set_aside(qtbot, world) -> None:
    opp = world.records["opportunity_a"]
    cid = conflict(
        world, world.rep_a, "opportunities", opp, kind="rejected", device_value={"amount": 9}, message="دوره بسته است"
    )
    dialog = inbox(qtbot, world)
    assert dialog.reason.text() == "دلیل: دوره بسته است" and visible_buttons(dialog) == {"discard"}
    shot(dialog, "sync_conflicts_rejected.png")
    dialog.buttons["discard"].click()
    assert stored(world, SyncConflict, cid).resolution == "discarded"


def test_duplicate_identities_are_merged_through_the_identity_merge(qtbot, world, monkeypatch) -> None:
    keep = world.records["identity_a"]
    with world.services.db.write(SYSTEM) as s:
        twin = Identity(
            kind=IdentityKind.PERSON,
            display_name="مشتری a",
            name_key=search_key("مشتری a"),
            owner_id=world.rep_a.user_id,
        )
        s.add(twin)
        s.flush()
        twin_id = twin.id
    cid = conflict(world, world.rep_a, "identities", twin_id, kind="duplicate", other_row_id=str(keep))
    dialog = inbox(qtbot, world)
    assert visible_buttons(dialog) == {"merge_duplicate", "discard"}
    from app.ui.identities.merge_dialog import MergeDialog

    previews = []
    monkeypatch.setattr(conflict_panes.SurvivorDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(MergeDialog, "exec", lambda d: previews.append(d.preview) or QDialog.DialogCode.Accepted)
    dialog.buttons["merge_duplicate"].click()
    assert previews[0].survivor_id == keep and previews[0].merged_id == twin_id  # the office's one stays by default
    assert stored(world, Identity, twin_id).merged_into_id == keep
    assert stored(world, SyncConflict, cid).resolution == "merged"


def test_another_reps_conflicts_are_not_listed_and_open_conflicts_reuses_the_dialog(qtbot, world) -> None:
    conflict(world, world.rep_b, "opportunities", world.records["opportunity_b"], field="amount")
    dialog = inbox(qtbot, world)
    assert rows(dialog) == [] and visible_buttons(dialog) == set()
    assert dialog.heading.text() == "تعارضی برای حل کردن نیست."
    shot(dialog, "sync_conflicts_empty.png")
    parent = QDialog()
    qtbot.addWidget(parent)
    first = open_conflicts(parent, world.services, world.rep_a)
    assert open_conflicts(parent, world.services, world.rep_a) is first and first.isVisible()
    qtbot.waitUntil(lambda: first.summary.text() != "", timeout=WAIT)
    first.close()


def test_times_are_shown_in_jalali(qtbot, world) -> None:
    conflict(world, world.rep_a, "opportunities", world.records["opportunity_a"], field="amount", device_value=2)
    dialog = inbox(qtbot, world)
    assert OFFICE_AT.date() != LAPTOP_AT.date()
    assert "۱۴۰۵/۰۹/۰۱" in text(dialog.office_box.who) and "۱۴۰۵/۰۸/۳۰" in text(dialog.device_box.who)


def test_the_tools_menu_opens_the_inbox_and_a_new_session_closes_it(qtbot, world, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from app.ui.main_window import MainWindow

    conflict(world, world.rep_a, "opportunities", world.records["opportunity_a"], field="amount", device_value=2)
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert not window.conflicts_action.isEnabled()  # until someone logs in
    window.show()
    window.attach(world.services, world.rep_a)
    assert window.conflicts_action.text() == "تعارض‌ها…" and window.conflicts_action.isEnabled()
    window.conflicts_action.trigger()
    dialog = window.findChild(ConflictsDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT)
    assert dialog.open_button.isVisibleTo(dialog)
    dialog.open_button.click()
    assert window.tabs.open_keys()[-1].endswith(str(world.records["opportunity_a"]))
    window.sig_session_ended.emit(False)
    assert not dialog.isVisible()


def test_an_automatic_settlement_says_which_version_stayed_and_can_be_reverted(qtbot, world) -> None:
    identity = world.records["identity_a"]
    conflict(
        world, world.rep_a, "identities", identity, field="description", status="auto", resolution="server",
        server_value="از دفتر", device_value="از سفر",
    )  # fmt: skip
    dialog = inbox(qtbot, world)
    assert dialog.table.rowCount() == 0  # settled: shown on request
    dialog.settled.setChecked(True)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT)
    assert dialog.explain.text().startswith("خودکار حل شد: نسخهٔ دفتر ماند")
    assert visible_buttons(dialog) == {"server", "device", "merge"}
    shot(dialog, "sync_conflicts_auto.png")
    dialog.buttons["device"].click()
    assert stored(world, Identity, identity).description == "از سفر"
