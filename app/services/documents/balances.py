"""Balances (مانده), exactly as domain.md says.

    debit  = issued invoices + owed instalments of signed contracts + payments to the customer (refunds)
    credit = receipts + issued returns
    balance = debit − credit   (> 0: the customer owes us, بدهکار; < 0: we owe them, بستانکار)

An identity's balance is over all its items; an opportunity's over the items linked to it
(the source's example: invoice 20,000,000 then receipt 5,000,000 -> 15,000,000 debit).
A signed contract debits the instalments due by its end date (contract_views.owed_instalments):
moving its end date earlier cancels the later ones and lowers the balance.

The sums run over every user's documents: who may see the identity or opportunity sees its
whole balance (the access policy decides whether they see the record at all).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, literal, select, union_all

from app.models import Identity, Invoice, Opportunity, Receipt, SalesReturn
from app.models.enums import DocumentState, MoneyDirection
from app.persian import format_money
from app.services.core.access import fetch
from app.services.core.actor import Actor
from app.services.core.database import Database

from .cheques import counts_as_paid
from .contract_views import owed_instalments

_invoice = Invoice.__table__
_return = SalesReturn.__table__
_receipt = Receipt.__table__


@dataclass(frozen=True)
class Balance:
    debit: int = 0
    credit: int = 0

    @property
    def balance(self) -> int:
        return self.debit - self.credit

    @property
    def side(self) -> str:
        """«بدهکار» (owes us), «بستانکار» (we owe them) or «بی‌حساب» (settled)."""
        if self.balance > 0:
            return "بدهکار"
        return "بستانکار" if self.balance < 0 else "بی‌حساب"

    def describe(self) -> str:
        """E.g. «۱۵٬۰۰۰٬۰۰۰ ریال بدهکار»."""
        if self.balance == 0:
            return "بی‌حساب"
        return f"{format_money(abs(self.balance))} {self.side}"


def _items(key: str):
    """(key, debit, credit) rows of every financial item, keyed by identity_id or opportunity_id."""
    issued = DocumentState.ISSUED.value
    instalments, owed = owed_instalments()
    contract = instalments.right  # the contracts table, whose identity and opportunity the debit goes to
    return union_all(
        select(_invoice.c[key].label("key"), _invoice.c.total.label("debit"), literal(0).label("credit")).where(
            _invoice.c.state == issued, _invoice.c.deleted_at.is_(None)
        ),
        select(contract.c[key], instalments.left.c.amount, literal(0)).select_from(instalments).where(owed),
        select(_return.c[key], literal(0), _return.c.total).where(
            _return.c.state == issued, _return.c.deleted_at.is_(None)
        ),
        select(_receipt.c[key], literal(0), _receipt.c.amount).where(
            _receipt.c.direction == MoneyDirection.IN.value, _receipt.c.deleted_at.is_(None), counts_as_paid(_receipt)
        ),
        select(_receipt.c[key], _receipt.c.amount, literal(0)).where(
            _receipt.c.direction == MoneyDirection.OUT.value, _receipt.c.deleted_at.is_(None)
        ),
    ).subquery()


def _sums(session, key: str, ids: list) -> dict:
    items = _items(key)
    condition: ColumnElement[bool] = items.c.key.in_(ids)
    stmt = (
        select(items.c.key, func.coalesce(func.sum(items.c.debit), 0), func.coalesce(func.sum(items.c.credit), 0))
        .where(condition)
        .group_by(items.c.key)
    )
    result = {}
    for k, debit, credit in session.execute(stmt):
        result[k if isinstance(k, uuid.UUID) else uuid.UUID(str(k))] = Balance(int(debit), int(credit))
    return result


class BalanceService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def identity_balance(self, actor: Actor, identity_id: uuid.UUID) -> Balance:
        """The identity's balance over all its items. Anyone who may see the identity;
        raises NotFound/AccessDenied. Reads only."""
        with self._db.read(actor) as s:
            fetch(s, Identity, identity_id, "هویت")
            return _sums(s, "identity_id", [identity_id]).get(identity_id, Balance())

    def opportunity_balance(self, actor: Actor, opportunity_id: uuid.UUID) -> Balance:
        """The balance of the items linked to the opportunity. Anyone who may see it;
        raises NotFound/AccessDenied. Reads only."""
        with self._db.read(actor) as s:
            fetch(s, Opportunity, opportunity_id, "فرصت")
            return _sums(s, "opportunity_id", [opportunity_id]).get(opportunity_id, Balance())

    def identity_balances(self, actor: Actor, identity_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Balance]:
        """Balances of many identities at once (a list page); identities the actor may not see
        are left out. Reads only."""
        wanted = list(dict.fromkeys(identity_ids))
        if not wanted:
            return {}
        with self._db.read(actor) as s:
            visible = list(s.scalars(select(Identity.id).where(Identity.id.in_(wanted))))
            sums = _sums(s, "identity_id", visible) if visible else {}
            return {i: sums.get(i, Balance()) for i in visible}
