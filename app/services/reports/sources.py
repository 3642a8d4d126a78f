"""The pivot's other sources: activities, and documents (quotes, invoices, returns, receipts, payments).

A source is one query whose rows are its records in the period (the access policy filters them as it
filters the lists: the ORM entities are selected, so an own-documents rep counts only their own) with
each dimension the pivot asked for as a column `d_<name>` and the measures' inputs. The pivot groups
it; a drill-down selects the same rows with the cell's values, so it lists what was counted.
Documents are a UNION ALL of their four tables, each with its own date (issue or receipt day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, case, func, literal, null, select, type_coerce, union_all
from sqlalchemy.orm import Session

from app.models import Activity, Category, Identity, Invoice, Opportunity, Quote, Receipt, SalesReturn, User
from app.models.enums import ActivityState, DocumentState, MoneyDirection
from app.services.core.labels import ACTIVITY_KIND, DOCUMENT_STATE, QUOTE_STATE
from app.services.reports import engine
from app.services.reports.periods import ReportFilter, month_bucket, months_of
from app.services.reports.scopes import Drill, matches, owned_by, unindexed

ACTIVITY_SCOPE, DOCUMENT_SCOPE = "pivot_activities", "pivot_documents"
ACTIVITY_DIMENSIONS = ("rep", "team", "activity_kind", "activity_state", "month", "quarter", "year")
DOCUMENT_DIMENSIONS = ("document_kind", "document_state", "rep", "team", "city", "category", "month", "quarter", "year")
IN_NET = "in_net"  # a hidden dimension: 1 for the issued invoices and returns that net sales add up
# Values named by a fixed list, in reading order.
FIXED_LABELS: dict[str, dict[str, str]] = {
    "activity_kind": {kind.value: label for kind, label in ACTIVITY_KIND.items()},
    "activity_state": {"planned": "برنامه‌ریزی‌شده", "overdue": "معوق", "done": "انجام‌شده", "cancelled": "لغوشده"},
    "document_kind": {
        "quote": "پیش‌فاکتور",
        "invoice": "صورتحساب",
        "return": "برگشت از فروش",
        "receipt": "دریافت",
        "payment": "پرداخت",
    },
    "document_state": {
        **{state.value: label for state, label in QUOTE_STATE.items()},
        **{state.value: label for state, label in DOCUMENT_STATE.items()},
        "registered": "ثبت‌شده",  # receipts and payments have no workflow
    },
}


def _text(value: str) -> ColumnElement:
    return literal(value, String)


def _in_pipeline(column, f: ReportFilter) -> list[ColumnElement]:
    if not f.pipeline_id:
        return []
    return [column.in_(select(Opportunity.id).where(Opportunity.pipeline_id == f.pipeline_id))]


def _activities(f: ReportFilter) -> Any:
    """Activities due in the period; a planned one past its due time is «overdue»."""
    state = case(
        (Activity.state == ActivityState.DONE, "done"),
        (Activity.state == ActivityState.CANCELLED, "cancelled"),
        (Activity.due_at < dt.datetime.now(dt.UTC), "overdue"),
        else_="planned",
    )
    return select(
        Activity.id.label("row_id"),
        _text("activity").label("record"),
        Activity.summary.label("title"),
        null().label("amount"),
        Activity.assignee_id.label("owner"),
        Activity.identity_id.label("identity"),
        Activity.due_at.label("at"),
        type_coerce(Activity.kind, String).label("activity_kind"),
        state.label("activity_state"),
    ).where(
        Activity.deleted_at.is_(None),
        unindexed(Activity.due_at) >= f.first_instant,
        unindexed(Activity.due_at) < f.after_instant,
        *owned_by(Activity.assignee_id, f),
        *_in_pipeline(Activity.opportunity_id, f),
    )


FORM_OF = {Quote: "quote", Invoice: "invoice", SalesReturn: "return", Receipt: "receipt"}


def _document_part(model, kind, state, day, amount, net, f: ReportFilter, sign: int = 1):
    """One table's documents; `net` (issued) marks what net sales add up, `sign` how (a return subtracts).
    The record's kind (what opens it) is the table's: a payment opens in the receipt form."""
    in_net = literal(0, Integer) if net is None else case((net, 1), else_=0)
    return select(
        model.id.label("row_id"),
        _text(FORM_OF[model]).label("record"),
        type_coerce(model.number, String).label("title"),
        amount.label("amount"),
        model.owner_id.label("owner"),
        model.identity_id.label("identity"),
        day.label("at"),
        kind.label("document_kind"),
        state.label("document_state"),
        in_net.label(IN_NET),
        (case((net, amount * sign), else_=0) if net is not None else literal(0, Integer)).label("net"),
    ).where(
        model.deleted_at.is_(None),
        day >= f.start,
        day <= f.end,
        *owned_by(model.owner_id, f),
        *_in_pipeline(model.opportunity_id, f),
    )


def _documents(f: ReportFilter) -> Any:
    """Quotes, invoices and returns by issue date, receipts and payments by their day; amounts net of VAT."""
    issued = {model: model.state == DocumentState.ISSUED for model in (Invoice, SalesReturn)}
    direction = case((Receipt.direction == MoneyDirection.IN, "receipt"), else_="payment")
    return union_all(
        _document_part(Quote, _text("quote"), type_coerce(Quote.state, String), Quote.issue_date,
                       Quote.total_after_discount, None, f),
        _document_part(Invoice, _text("invoice"), type_coerce(Invoice.state, String), Invoice.issue_date,
                       Invoice.total_after_discount, issued[Invoice], f),
        _document_part(SalesReturn, _text("return"), type_coerce(SalesReturn.state, String), SalesReturn.issue_date,
                       SalesReturn.total_after_discount, issued[SalesReturn], f, -1),
        _document_part(Receipt, direction, _text("registered"), Receipt.received_on, Receipt.amount, None, f),
    )  # fmt: skip


# scope -> (the records' query, whether their `at` is a UTC instant rather than a day)
RECORDS = {ACTIVITY_SCOPE: (_activities, True), DOCUMENT_SCOPE: (_documents, False)}


def rows_of(drill: Drill, dims: list[str]):
    """The drill's records as a subquery with `d_<name>` per dimension, `record`, `row_id`, `title`,
    `amount` and `net` (documents)."""
    records, instants = RECORDS[drill.scope]
    rec = records(drill.filter).subquery("records")
    users, identities = User.__table__, Identity.__table__  # plain tables: the records are filtered already
    months = months_of(drill.filter.start, drill.filter.end)
    source = rec
    if "team" in dims:
        source = source.outerjoin(users, users.c.id == rec.c.owner)
    if "city" in dims or "category" in dims:
        source = source.outerjoin(identities, identities.c.id == rec.c.identity)
    columns = []
    for d in dims:
        if d in ("month", "quarter", "year"):
            column = month_bucket(rec.c.at, months, instants=instants, grain=d)
        else:
            named = {"rep": rec.c.owner, "team": users.c.team_id, "city": identities.c.primary_city}
            column = named.get(d, identities.c.category_id if d == "category" else None)
            column = rec.c[d] if column is None else column
        columns.append(column.label(f"d_{d}"))
    inputs = [rec.c.amount, *([rec.c.net] if "net" in rec.c else [])]
    statement = select(*columns, rec.c.row_id, rec.c.record, rec.c.title, *inputs).select_from(source)
    return statement.where(*(matches(statement.selected_columns[f"d_{n}"], v) for n, v in drill.keys)).subquery()


def grouped(drill: Drill, dims: list[str], measured: str | None):
    """The statement of {dimension values: rows, sum and count of the `measured` input} over the drill's
    records, in two steps: the records grouped by their own columns (the owner, the identity), then those
    groups joined to their owner's team or their identity's city and category and grouped again, so the
    joins read a few thousand groups rather than every record."""
    records, instants = RECORDS[drill.scope]
    rec = records(drill.filter).subquery("records")
    months = months_of(drill.filter.start, drill.filter.end)
    own = {"rep": "owner", "team": "owner", "city": "identity", "category": "identity"}
    raw = {}  # the first step's keys: the records' columns a dimension is read from
    for d in dims:
        if d in ("month", "quarter", "year"):
            raw[d] = month_bucket(rec.c.at, months, instants=instants, grain=d)
        else:
            raw.setdefault(own.get(d, d), rec.c[own.get(d, d)])
    # the owner's column last: first, it let SQLite walk the owner's index to group, a lookup per record
    keys = sorted(raw, key=lambda k: k == "owner")
    figures = [func.count().label("n")]
    if measured is not None:
        figures += [func.sum(rec.c[measured]).label("total"), func.count(rec.c[measured]).label("present")]
    first = select(*(raw[k].label(k) for k in keys), *figures).group_by(*(raw[k] for k in keys)).subquery("first")
    users, identities = User.__table__, Identity.__table__  # plain tables: the records are filtered already
    source = first
    if "team" in dims:
        source = source.outerjoin(users, users.c.id == first.c.owner)
    if "city" in dims or "category" in dims:
        source = source.outerjoin(identities, identities.c.id == first.c.identity)
    joined = {"team": users.c.team_id, "city": identities.c.primary_city, "category": identities.c.category_id}
    columns = [joined[d] if d in joined else first.c[own.get(d, d)] for d in dims]
    sums = [func.sum(first.c.n), *([func.sum(first.c.total), func.sum(first.c.present)] if measured else [])]
    return select(*columns, *sums).select_from(source).group_by(*columns)


def drill(s: Session, target: Drill, limit: int) -> list[tuple]:
    """(kind, id, title, amount) of the records behind a pivot cell of activities or documents."""
    rows = rows_of(target, [name for name, _ in target.keys])
    statement = select(rows.c.record, rows.c.row_id, rows.c.title, rows.c.amount).order_by(rows.c.row_id).limit(limit)
    return list(s.execute(statement))


def names(s: Session, dim: str, values: list) -> dict[Any, str]:
    """Persian names of a dimension's values."""
    if dim in FIXED_LABELS:
        return {v: FIXED_LABELS[dim].get(v, engine.NO_VALUE) for v in values}
    if dim == "city":
        return {v: v or engine.NO_VALUE for v in values}
    if dim == "category":
        ids = [v for v in values if v is not None]
        found = dict(s.execute(select(Category.id, Category.name).where(Category.id.in_(ids))).all()) if ids else {}
        return {v: found.get(v, engine.NO_VALUE) for v in values}
    return engine.labels(s, dim, values)


def order(s: Session, dim: str, values: list, labels: dict[Any, str]) -> list:
    if dim in FIXED_LABELS:
        known = list(FIXED_LABELS[dim])
        return sorted(values, key=lambda v: known.index(v) if v in known else len(known))
    return engine.order(s, dim, values, labels)
