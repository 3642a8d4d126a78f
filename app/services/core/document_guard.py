"""Issued invoices and returns never change: a flush hook refuses any change to them or their lines.
A signed contract neither, but for its end date (moving it earlier is how a contract is cancelled).

The document services already refuse such calls with a clear message; this hook is the last line
of defence for every other code path (a direct ORM change, a future service that forgets). It
compares against the state as stored, so issuing itself (draft -> issued in one flush) is allowed,
and nothing can change after that flush, not even later in the same transaction.

Merging identities may re-point an issued document at the surviving identity (the printed buyer
is a copy and does not change): such code sets `session.info[ALLOW_RELINK] = True`, which permits
changes of `RELINK_FIELDS` only.

An invoice issued on a laptop arrives at the office with only its provisional number; the office's
sync then gives it the legal number (app.services.sync.documents), and the pull brings that number back
to the laptop. Such code sets `session.info[ALLOW_LEGAL_NUMBER] = True`, which permits exactly that:
NUMBER_FIELDS changing on an issued invoice that has a provisional number and had no number yet.

Kept outside app.services.documents so that installing it does not import the PDF renderer.
"""

from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.domain.workflow import Workflow
from app.models import (
    Contract,
    ContractInstalment,
    ContractLine,
    Invoice,
    InvoiceLine,
    SalesReturn,
    SalesReturnLine,
)
from app.models.enums import DocumentState
from app.services.core.errors import TransitionRefused
from app.services.core.labels import DOCUMENT_STATE

ALLOW_RELINK = "allow_document_relink"
RELINK_FIELDS = frozenset({"identity_id", "opportunity_id", "owner_id", "updated_at", "updated_by", "version"})
_HEADERS = (Invoice, SalesReturn, Contract)
_LINES = {
    InvoiceLine: ("invoice_id", Invoice),
    SalesReturnLine: ("return_id", SalesReturn),
    ContractLine: ("contract_id", Contract),
    ContractInstalment: ("contract_id", Contract),
}
ALLOW_LEGAL_NUMBER = "allow_legal_number"
NUMBER_FIELDS = frozenset({"number", "fiscal_year", "updated_at", "updated_by", "version"})
# What may change on a signed contract: its end date (with the stamps every write moves).
CONTRACT_FIELDS = frozenset({"end_date", "updated_at", "updated_by", "version"})


class DocumentLocked(TransitionRefused):
    """A change to an issued invoice or return (corrections go through a return invoice)."""

    def __init__(self, what: str = "صورتحساب") -> None:
        message = f"این {what} صادر شده و دیگر قابل تغییر یا حذف نیست. برای اصلاح، صورتحساب برگشت از فروش صادر کنید."
        if what == "قرارداد":
            message = "این قرارداد ثبت نهایی شده است؛ جز تاریخ پایان (برای لغو) چیزی از آن تغییر نمی‌کند."
        super().__init__(message, DocumentState.ISSUED)


# Invoices and returns: a draft is issued once, and nothing moves after that (corrections are returns).
DOCUMENT_FLOW: Workflow[DocumentState] = Workflow(
    "سند",
    {(DocumentState.DRAFT, DocumentState.ISSUED): "صدور"},
    label=DOCUMENT_STATE.__getitem__,
)


def _stored_state(session: Session, obj) -> DocumentState | None:
    """The state as in the database (before this flush's pending change)."""
    history = inspect(obj).attrs.state.history
    if history.deleted:
        return history.deleted[0]
    if history.added:  # set without the stored value having been loaded: ask the database
        stmt = select(type(obj).state).where(type(obj).id == obj.id).execution_options(skip_access=True)
        with session.no_autoflush:
            return session.scalar(stmt)
    return obj.state


def _parent_issued(session: Session, header: type, parent_id) -> bool:
    if parent_id is None:
        return False
    obj = session.identity_map.get(inspect(header).identity_key_from_primary_key((parent_id,)))
    if obj is not None:
        return obj not in session.new and _stored_state(session, obj) == DocumentState.ISSUED
    stmt = select(header.state).where(header.id == parent_id).execution_options(skip_access=True)
    with session.no_autoflush:
        return session.scalar(stmt) == DocumentState.ISSUED


def _changed_fields(obj) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def _check(session: Session, _ctx, _instances) -> None:
    relink = bool(session.info.get(ALLOW_RELINK))
    numbering = bool(session.info.get(ALLOW_LEGAL_NUMBER))
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, _HEADERS) and obj not in session.new:
            if _stored_state(session, obj) != DocumentState.ISSUED:
                continue
            if obj in session.deleted:
                raise DocumentLocked(_what(obj))
            changed = _changed_fields(obj)
            if isinstance(obj, Contract) and changed <= CONTRACT_FIELDS:
                continue
            if (
                changed
                and not (relink and changed <= RELINK_FIELDS)
                and not (numbering and _legal_number(session, obj, changed))
            ):
                raise DocumentLocked(_what(obj))
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        spec = _LINES.get(type(obj))
        if spec is None:
            continue
        if obj in session.dirty and not _changed_fields(obj):
            continue
        fk, header = spec
        ids = {getattr(obj, fk)}
        history = inspect(obj).attrs[fk].history
        ids.update(history.deleted or ())  # a line moved away from an issued document
        if any(_parent_issued(session, header, parent) for parent in ids):
            raise DocumentLocked(_what(header))


def _legal_number(session: Session, obj, changed: set[str]) -> bool:
    """The office's legal number given to an invoice issued on a laptop: nothing else changes, it had
    no number before (as stored), has a provisional one and gets a number and a year."""
    if not isinstance(obj, Invoice) or not changed <= NUMBER_FIELDS or obj.number is None or obj.fiscal_year is None:
        return False
    stmt = (
        select(Invoice.number, Invoice.provisional_number)
        .where(Invoice.id == obj.id)
        .execution_options(skip_access=True)
    )
    with session.no_autoflush:
        stored = session.execute(stmt).one()
    return stored.number is None and stored.provisional_number is not None


def _what(obj_or_cls) -> str:
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return {SalesReturn: "صورتحساب برگشت از فروش", Contract: "قرارداد"}.get(cls, "صورتحساب")


def install(session_factory) -> None:
    """Attaches the guard to every session the factory makes."""
    event.listen(session_factory, "before_flush", _check)
