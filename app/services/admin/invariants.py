"""Business invariants `python -m app check` verifies (app.services.admin.maintenance), on a file and
on a server alike: whatever wrote the rows (the app, a raw connection, a restored backup), the legal
documents must still add up and count up.

- an issued invoice's or return's stored totals equal the sums of its lines;
- an issued invoice or return has its number (on a laptop, an invoice issued there may have only its
  provisional one until the office numbers it);
- per series and fiscal year, numbers run 1..N without a duplicate or a gap, and the counter stands
  exactly at N (behind: the next document takes a number already used; ahead: numbers are skipped).

Balances are not stored (app.services.documents.balances computes them), so none can drift.
"""

from __future__ import annotations

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from app.models import Invoice, InvoiceLine, NumberSeries, Quote, Receipt, SalesReturn, SalesReturnLine
from app.models.enums import DocumentState, MoneyDirection
from app.persian import format_number, to_persian_digits
from app.services.documents import numbering
from app.services.sync import state as sync_state

SHOWN = 5  # documents named per problem; the rest are counted

SERIES = {  # series -> (its documents, which of them, its name in the messages)
    numbering.QUOTE: (Quote, Quote.device_code == "", "پیش‌فاکتور"),  # a laptop's quotes: its own series
    numbering.INVOICE: (Invoice, None, "صورتحساب"),
    numbering.RETURN: (SalesReturn, None, "برگشت از فروش"),
    numbering.RECEIPT: (Receipt, Receipt.direction == MoneyDirection.IN, "دریافت"),
    numbering.PAYMENT: (Receipt, Receipt.direction == MoneyDirection.OUT, "پرداخت"),
}
TOTALS = {  # header column -> the line column it sums
    "total_before_discount": "amount",
    "total_discount": "discount",
    "total_after_discount": "amount_after_discount",
    "total_vat": "vat",
    "total": "total",
}
LINES = ((Invoice, InvoiceLine, "invoice_id", "صورتحساب"), (SalesReturn, SalesReturnLine, "return_id", "برگشت از فروش"))


def _year(year: int) -> str:
    return to_persian_digits(str(year))


def _numbers(s: Session) -> list[str]:
    problems = []
    stored = select(NumberSeries.series, NumberSeries.fiscal_year, NumberSeries.last_number)
    counters = {(series, year): last for series, year, last in s.execute(stored)}
    for series, (cls, which, name) in SERIES.items():
        stmt = select(cls.fiscal_year, func.count(cls.number), func.count(distinct(cls.number)), func.max(cls.number))
        stmt = stmt.where(cls.number.is_not(None)).group_by(cls.fiscal_year)
        if which is not None:
            stmt = stmt.where(which)
        used = {year: (count, unique, top) for year, count, unique, top in s.execute(stmt)}
        years = sorted(set(used) | {year for kind, year in counters if kind == series})
        for year in years:
            count, unique, top = used.get(year, (0, 0, 0))
            where = f"«{name}»های سال {_year(year)}"
            if count > unique:
                problems.append(f"{format_number(count - unique)} شماره تکراری در {where}.")
            if top > unique:
                problems.append(
                    f"{format_number(top - unique)} شماره جاافتاده در {where} (از ۱ تا {format_number(top)})."
                )
            counter = counters.get((series, year), 0)
            if counter < top:
                problems.append(
                    f"شمارنده {where} ({format_number(counter)}) از آخرین شماره ({format_number(top)}) عقب است؛ "
                    "سند بعدی شماره‌ای تکراری می‌گیرد."
                )
            elif counter > top:
                problems.append(
                    f"شمارنده {where} ({format_number(counter)}) از آخرین شماره سند ({format_number(top)}) جلوتر است؛ "
                    "شماره‌های میان آن‌ها جا می‌افتند."
                )
    return problems


def _totals(s: Session) -> list[str]:
    problems = []
    for cls, line_cls, fk, name in LINES:
        parent = getattr(line_cls, fk)
        sums = (
            select(parent.label("doc"), *(func.sum(getattr(line_cls, line)).label(c) for c, line in TOTALS.items()))
            .where(line_cls.deleted_at.is_(None))
            .group_by(parent)
            .subquery()
        )
        differs = [func.coalesce(sums.c[c], 0) != getattr(cls, c) for c in TOTALS]
        stmt = (
            select(cls.fiscal_year, cls.number)
            .outerjoin(sums, sums.c.doc == cls.id)
            .where(cls.state == DocumentState.ISSUED, or_(*differs))
            .order_by(cls.fiscal_year, cls.number)
        )
        wrong = s.execute(stmt).all()
        if wrong:
            named = "، ".join(f"{format_number(number or 0)}/{_year(year or 0)}" for year, number in wrong[:SHOWN])
            more = f" و {format_number(len(wrong) - SHOWN)} سند دیگر" if len(wrong) > SHOWN else ""
            problems.append(f"جمع {format_number(len(wrong))} «{name}» صادرشده با ردیف‌هایش نمی‌خواند: {named}{more}.")
    return problems


def _unnumbered(s: Session) -> list[str]:
    problems = []
    laptop = sync_state.device_code(s) is not None
    for cls, _lines, _fk, name in LINES:
        stmt = select(func.count()).select_from(cls)
        stmt = stmt.where(cls.state == DocumentState.ISSUED, or_(cls.number.is_(None), cls.fiscal_year.is_(None)))
        if laptop and cls is Invoice:  # issued here with a provisional number: the office numbers it at sync
            stmt = stmt.where(Invoice.provisional_number.is_(None))
        if count := s.scalar(stmt):
            problems.append(f"{format_number(count)} «{name}» صادرشده شماره ندارد.")
    return problems


def problems(s: Session) -> list[str]:
    """Every broken invariant, in Persian (empty when all hold). Reads only."""
    return _totals(s) + _unnumbered(s) + _numbers(s)
