"""Financial contracts (قرارداد مالی, seed 000): signed instead of an invoice, paid by instalments.

A contract is a draft until it is signed (numbered in its own gapless series, like an invoice);
signed, it debits the customer's balance by the instalments due up to its end date. Nothing of a
signed contract changes except its end date: moving the end date earlier is how a contract is
cancelled (the seed's rule), and the instalments due after it are then no longer owed.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BusinessMixin, Money
from app.models.columns import enum_column
from app.models.documents import _Header, _Line
from app.models.enums import DocumentState


class Contract(_Header, Base):
    """قرارداد مالی: `issue_date` is the day it is signed; `total` its amount."""

    __tablename__ = "contracts"
    __table_args__ = (Index("ix_contracts_year_number", "fiscal_year", "number", unique=True),)
    state: Mapped[DocumentState] = mapped_column(enum_column(DocumentState), default=DocumentState.DRAFT, index=True)
    quote_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("quotes.id"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    issued_at: Mapped[dt.datetime | None] = mapped_column()


class ContractLine(_Line, Base):
    __tablename__ = "contract_lines"
    __access_parent__ = "contract_id"
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), index=True)


class ContractInstalment(BusinessMixin, Base):
    """One payment of the schedule; owed once the contract is signed, unless due after its end date."""

    __tablename__ = "contract_instalments"
    __access_parent__ = "contract_id"
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    amount: Mapped[int] = mapped_column(Money)


class InstalmentAllocation(BusinessMixin, Base):
    """The part of a receipt that pays one instalment (as ReceiptAllocation does for an invoice)."""

    __tablename__ = "instalment_allocations"
    __access_parent__ = "receipt_id"
    receipt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("receipts.id"), index=True)
    instalment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contract_instalments.id"), index=True)
    amount: Mapped[int] = mapped_column(Money)
