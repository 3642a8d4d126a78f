"""The identity page starts an opportunity, an activity and a quote with the identity filled in, and
its «اسناد» tab lists the identity's documents with its balance; as an own-documents rep."""

from __future__ import annotations

import datetime as dt

from app.services.catalog.products import ProductQuery
from app.services.documents.quotes import QuoteQuery
from app.services.opportunities.queries import OpportunityQuery
from app.ui.activities.activity_dialog import ActivityDialog
from app.ui.documents.quote_form import QuoteForm
from app.ui.identities.identity_form import IdentityForm
from app.ui.opportunities.opportunity_form import OpportunityForm
from tests.ui.activity_ui import when_dialog
from tests.ui.persian_typing import type_text


def test_a_new_identity_offers_them_only_once_saved(qtbot, tabs) -> None:
    form = tabs.open_record("identity", None)
    assert all(button.isHidden() for button in form.quick.buttons)


def test_opportunity_quote_and_activity_start_from_the_identity(qtbot, tabs, sales) -> None:
    services, rep = sales.services, sales.rep
    page = tabs.open_record("identity", sales.customer)
    assert isinstance(page, IdentityForm) and all(b.isVisibleTo(page) for b in page.quick.buttons)

    page.quick.opportunity_button.click()
    deal = tabs.currentWidget()
    assert isinstance(deal, OpportunityForm) and deal.identity.text() == "شرکت آلفا"
    type_text(deal.title_edit, "شبکه دفتر مرکزی")
    assert deal.save()
    rows = services.opportunities.search(rep, OpportunityQuery(identity_id=sales.customer))
    assert [r.title for r in rows] == ["شبکه دفتر مرکزی"]

    tabs.setCurrentIndex(tabs.indexOf(page))
    page.quick.quote_button.click()
    quote = tabs.currentWidget()
    assert isinstance(quote, QuoteForm) and quote.identity.identity_id() == sales.customer
    choices = [quote.opportunity.itemText(i) for i in range(quote.opportunity.count())]
    assert choices == ["— بدون فرصت —", "شبکه دفتر مرکزی (باز)"]
    quote.opportunity.setCurrentIndex(1)
    quote.lines.add_line(services.products.search(rep, ProductQuery(text="C-2"))[0])
    assert quote.save()
    saved = services.quotes.search(rep, QuoteQuery(identity_id=sales.customer))
    assert [(q.opportunity_title, q.total) for q in saved] == [("شبکه دفتر مرکزی", quote._view.totals.total)]

    tabs.setCurrentIndex(tabs.indexOf(page))

    def fill(dialog: ActivityDialog) -> None:
        assert dialog.identity.identity_id() == sales.customer
        type_text(dialog.summary, "تماس پیگیری")
        dialog.date.set_date_value(dt.date.today() + dt.timedelta(days=1))
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    failures = when_dialog(ActivityDialog, fill)
    page.quick.activity_button.click()
    assert not failures, failures
    planned = services.activities.for_record(rep, identity_id=sales.customer, opportunity_id=None)
    assert [a.summary for a in planned] == ["تماس پیگیری"]

    page.tabs.setCurrentWidget(page.documents)
    qtbot.waitUntil(lambda: bool(page.documents.entries))  # read in the background once shown
    assert [(e.label, e.state) for e in page.documents.entries] == [("پیش‌فاکتور", "پیش‌نویس")]
    assert page.documents.balance.text() == "مانده: بی‌حساب"
    page.documents.open_row(0)
    assert tabs.currentWidget() is quote
