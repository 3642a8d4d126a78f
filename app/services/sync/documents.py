"""Documents made on a laptop, as the office takes them in (shared/design/sync.md §2.10).

A laptop numbers its quotes in its own series («L3-12», never renumbered) and issues invoices with a
provisional number only («P-L3-7»): legal numbers are the office's. When the office applies a pushed
batch, `on_hub_apply` sees every applied row: an invoice that arrives issued without a number gets the
next legal number of the office's series, in the batch's own transaction, so the batch ledger (which
applies a batch once) also makes sure it never takes a second one. The stock it moves is the office's
to move too: `should_push` keeps the laptop's own stock movement out of what it sends, and the office
moves its stock when it applies the issue, as issuing there does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Invoice, InvoiceLine, NumberSeries
from app.models.enums import DocumentState
from app.persian import fiscal_year
from app.services.core.changes import Op
from app.services.core.document_guard import ALLOW_LEGAL_NUMBER
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.documents import numbering, stock
from app.services.documents.lines import load_lines

# Derived at the office: never sent from a laptop. Stock moves by the documents the office applies;
# an invoice's legal number is the office's to give.
OFFICE_DERIVED = {
    "products": frozenset({"on_hand"}),
    "invoices": frozenset({"number"}),
}
# What a row change carries beside its real changes: alone, there is nothing left to send.
_STAMPS = frozenset({"version", "updated_at", "updated_by"})


def should_push(table: str, fields: dict) -> dict:
    """`fields` of a laptop's row change without what the office derives itself; {} when nothing of
    the change is left to send (a product whose stock an issued invoice moved)."""
    derived = OFFICE_DERIVED.get(table)
    if not derived or not derived & fields.keys():
        return fields
    kept = {key: value for key, value in fields.items() if key not in derived}
    return {} if kept.keys() <= _STAMPS else kept


# session.info: invoices given their legal number in this transaction (by `number_first`).
_NUMBERED = "sync_numbered_invoices"


def _unnumbered_issue(obj, op, fields: dict) -> bool:
    """A laptop's issued invoice still without its legal number."""
    if not isinstance(obj, Invoice) or obj.state is not DocumentState.ISSUED or obj.provisional_number is None:
        return False
    return obj.number is None


def number_first(session: Session, obj, op, fields: dict) -> None:
    """Called as the office applies a row, before anything flushes it: an invoice the batch turns issued
    takes its legal number now, before its issue's flush moves stock (the server's trigger locks the
    products). The office's own issue locks the counter, then the products, then the journal's clock:
    a sync taking them in another order deadlocks with office users issuing meanwhile (case 26).
    One that cannot be numbered is refused with ServiceError, naming it."""
    if not _unnumbered_issue(obj, op, fields) or not (Op(op) is Op.INSERT or "state" in fields):
        return
    year = fiscal_year(obj.issue_date)
    try:
        with session.no_autoflush:
            number = numbering.next_number(session, numbering.INVOICE, year, obj.issue_date)
    except ValidationFailed as refused:  # the batch is refused and kept for a person: say which and why
        reason = " ".join(refused.errors.values())
        raise ServiceError(f"صورتحساب {obj.provisional_number} شمارهٔ قطعی نگرفت: {reason}") from refused
    with legal_numbers(session):
        obj.number, obj.fiscal_year = number, year
        session.flush()
    session.info.setdefault(_NUMBERED, set()).add(obj.id)


def on_hub_apply(session: Session, obj, op, fields: dict) -> None:
    """Called by the office's apply for every row of a pulled batch, after `obj` (the ORM object) got
    the batch's `fields` for `op`, in the batch's transaction as the laptop's user. An invoice issued
    on the laptop (numbered by `number_first` as its row was applied; its date made the posting date if
    need be: `posting_date`) takes its goods out of the office's stock."""
    numbered = session.info.get(_NUMBERED, set())
    if not isinstance(obj, Invoice) or obj.id not in numbered:
        return  # not a laptop's issue, or numbered already: a repeated apply takes nothing twice
    numbered.discard(obj.id)
    issued_now = Op(op) is Op.INSERT or "state" in fields  # it turned issued in this batch
    lines = load_lines(session, InvoiceLine, "invoice_id", obj.id) if issued_now else []
    stock.reduce(session, lines)
    session.flush()
    stock.note_server_moves(session, lines)


def posting_date(session: Session, invoice, op, fields: dict) -> None:
    """The legal invoice is the office's posting (sync.md §2.10): a laptop's invoice dated before the
    office's last numbered one (issued there while the laptop was away) takes the office's date of today
    instead of being refused, so numbers still follow dates. Called as the row is applied, before the
    issued row is written (an issued invoice's date never changes after)."""
    if not isinstance(invoice, Invoice) or invoice.state is not DocumentState.ISSUED or invoice.number is not None:
        return
    if invoice.provisional_number is None or not (Op(op) is Op.INSERT or "state" in fields):
        return
    with session.no_autoflush:
        last = session.scalar(
            select(NumberSeries.last_date).where(
                NumberSeries.series == numbering.INVOICE, NumberSeries.fiscal_year == fiscal_year(invoice.issue_date)
            )
        )
    if last is not None and invoice.issue_date < last:
        invoice.issue_date = max(last, dt.date.today())


@contextlib.contextmanager
def legal_numbers(session: Session) -> Iterator[None]:
    """Flushes inside may give an invoice issued on a laptop its legal number (and change nothing else
    of an issued document): the office numbering it, or any ORM write bringing that number to a laptop
    (the pull itself writes rows without the ORM). Flush inside the block: the permission ends with it."""
    session.info[ALLOW_LEGAL_NUMBER] = True
    try:
        yield
    finally:
        session.info.pop(ALLOW_LEGAL_NUMBER, None)
