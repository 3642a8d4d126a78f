"""Record headers wrap their buttons at 1366×768 instead of making the form scroll sideways.

With both docks open the record area is about 600 px wide; the opportunity's header (heading, state,
balance and up to nine buttons) and the identity's were wider, so every field slid under the left
edge. On a wide screen the header stays one row, its buttons at the far (left) end."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton, QWidget

import app.ui.identities.identity_form  # noqa: F401 (registers the form)
import app.ui.opportunities.opportunity_form  # noqa: F401
from app.services.documents.quotes import QuoteDraft
from app.ui import events
from app.ui.record_tabs import RecordTabs
from tests.services.doc_helpers import DAY, example_lines, office

NARROW = 600


@pytest.fixture(autouse=True)
def fresh_change_bus(monkeypatch):
    monkeypatch.setattr(events, "_bus", None)


def _rect(widget: QWidget, form: QWidget) -> QRect:
    return QRect(widget.mapTo(form, QPoint(0, 0)), widget.size())


def _open(qtbot, tabs, sales, kind: str):
    if kind == "opportunity":
        record_id = sales.new(title="تأمین چهارده دستگاه پرینتر لیزری برای دفتر مرکزی")
    else:
        record_id = sales.customer
    form = tabs.open_record(kind, record_id)
    qtbot.waitUntil(lambda: form.heading.text() not in ("", "هویت جدید", "<b>فرصت تازه</b>"), timeout=5000)
    return form


def _header_buttons(form) -> list[QPushButton]:
    header = form.heading.parentWidget()
    return [
        b
        for b in header.findChildren(QPushButton)
        if b.isVisibleTo(form) and abs(_rect(b, form).top() - _rect(form.heading, form).top()) < 120
    ]


@pytest.mark.parametrize("kind", ["opportunity", "identity"])
def test_a_narrow_record_area_wraps_the_header_and_never_scrolls_sideways(qtbot, tabs, sales, kind) -> None:
    form = _open(qtbot, tabs, sales, kind)
    tabs.resize(NARROW, 700)
    qtbot.waitUntil(lambda: form.width() <= NARROW)
    page = tabs.page_of(form)
    assert not page.horizontalScrollBar().isVisible()
    buttons = _header_buttons(form)
    assert len(buttons) >= 4
    for b in buttons:
        assert form.rect().contains(_rect(b, form)), b.text()
    assert len({_rect(b, form).top() for b in buttons}) >= 2  # more than one row
    heading = _rect(form.heading, form)
    assert heading.right() > form.width() - 40  # right to left: the heading starts at the right edge


@pytest.mark.parametrize("kind", ["opportunity", "identity"])
def test_a_wide_record_area_keeps_one_row_with_the_buttons_at_the_far_end(qtbot, tabs, sales, kind) -> None:
    form = _open(qtbot, tabs, sales, kind)
    tabs.resize(1800, 900)
    qtbot.waitUntil(lambda: form.width() > 1600)
    buttons = _header_buttons(form)
    heading = _rect(form.heading, form)
    assert len(buttons) >= 4
    assert all(abs(_rect(b, form).center().y() - heading.center().y()) <= 2 for b in buttons)
    assert min(_rect(b, form).left() for b in buttons) < 40


def test_a_draft_quote_wraps_its_actions_within_a_narrow_record_area(qtbot, services) -> None:
    """A 1280-pixel screen with both docks leaves the record area under 500 px."""
    import app.ui.documents.quote_form  # noqa: F401

    o = office(services)
    tabs = RecordTabs()
    qtbot.addWidget(tabs)
    tabs.attach(o.services, o.rep)
    tabs.resize(480, 700)
    tabs.show()
    quote = o.services.quotes.create(o.rep, QuoteDraft(o.customer, DAY, example_lines(o), DAY + dt.timedelta(30)))
    form = tabs.open_record("quote", quote.id)
    qtbot.waitUntil(lambda: form.buttons["send"].isVisibleTo(form))
    qtbot.waitUntil(lambda: form.width() <= 480)
    shown = [b for b in form.buttons.values() if b.isVisibleTo(form)]
    assert not tabs.page_of(form).horizontalScrollBar().isVisible()
    for b in shown:
        assert form.rect().contains(_rect(b, form)), b.text()
    assert len({_rect(b, form).top() for b in shown}) >= 2, [b.text() for b in shown]


def test_a_long_title_is_cut_rather_than_widening_the_form(qtbot, tabs, sales) -> None:
    title = "تأمین چهارده دستگاه پرینتر لیزری رنگی با کارتریج اضافه، نصب و آموزش کاربران" + " دفتر مرکزی و شعبه‌ها" * 2
    form = tabs.open_record("opportunity", sales.new(title=title))
    qtbot.waitUntil(lambda: "تأمین" in form.heading.text(), timeout=5000)
    tabs.resize(NARROW, 700)
    qtbot.waitUntil(lambda: form.width() <= NARROW)
    assert form.heading.sizeHint().width() > NARROW  # the whole title would not fit
    assert form.rect().contains(_rect(form.heading, form))
    assert not tabs.page_of(form).horizontalScrollBar().isVisible()
